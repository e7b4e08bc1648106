# 备忘录里的 Keras Gumbel-Softmax 层，原样照抄，只补上它缺的两个 import
# （本页勘误第 7 条）。它只能在 Keras 2 上运行：在 Keras 3 上，构造层时
# K.variable 就不存在了（勘误第 8 条）。运行：
#     KERAS_BACKEND=torch python memo_keras_layer.py
# 页面：https://memo-docs.github.io/memo/sampling/reparameterization-gumbel-softmax.html
from keras import backend as K
from keras.layers import Layer


class GumbelSoftmax(Layer):
    """Gumbel Softmax重参数
    """
    def __init__(self, tau=1., **kwargs):
        super(GumbelSoftmax, self).__init__(**kwargs)
        self.tau = K.variable(tau)

    def call(self, inputs):
        epsilon = K.random_uniform(shape=K.shape(inputs))
        epsilon = - K.log(epsilon + K.epsilon())
        epsilon = - K.log(epsilon + K.epsilon())
        outputs = inputs + epsilon
        outputs = K.softmax(outputs / self.tau, -1)
        return outputs


logits = K.zeros((2, 3))  # 备忘录没有给出 logits；在 Keras 3 上执行不到这一行之后
gumbel_softmax = GumbelSoftmax()
z_sample = gumbel_softmax(logits)
