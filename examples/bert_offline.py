"""从本地文件夹加载 BERT，并检查没有悄悄退回到别的东西。

页面 docs/environment/huggingface-offline-loading.md 从这里导入::

    from examples.bert_offline import load_local_bert, save_tiny_bert

save_tiny_bert() 造一个与真实下载结构相同的小文件夹（config.json、
model.safetensors、vocab.txt、tokenizer_config.json），不需要网络；
load_local_bert() 像加载真实下载那样用 from_pretrained(folder) 读回来，
并在三种"静默退化"出现时报错：路径不是文件夹（会被当成 Hub 仓库名）、
词表没读到（分词器只剩特殊符号）或缺特殊符号（len(tokenizer) 与模型词表对不上）、
有权重没从文件里读到（被随机初始化）。

直接运行 ``python examples/bert_offline.py`` 会在临时目录里走一遍全过程。
"""

from __future__ import annotations

import os

# 必须在导入 transformers / huggingface_hub 之前设置，它们在导入时读取这两个变量。
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import torch  # noqa: E402
from transformers import BertConfig, BertModel, BertTokenizer  # noqa: E402

TINY_VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
              "the", "cat", "sat", "on", "mat", "##s"]


def save_tiny_bert(folder, vocab=TINY_VOCAB, seed: int = 0) -> list[str]:
    """在 folder 里写一个极小的 BERT（1 层，隐藏维 8），返回写出的文件名。"""
    folder = Path(folder)
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=len(vocab), hidden_size=8, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=16, max_position_embeddings=32)
    BertModel(config).save_pretrained(folder)
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    # 与官方 bert-base-uncased 的 tokenizer_config.json 同样的两个字段
    BertTokenizer(str(folder / "vocab.txt"), do_lower_case=True,
                  model_max_length=config.max_position_embeddings).save_pretrained(folder)
    return sorted(p.name for p in folder.iterdir())


def load_local_bert(folder, expected_tokens: int | None = None):
    """from_pretrained(folder) 加载分词器和模型；发现静默退化就抛出异常。

    expected_tokens 是分词器应有的大小 len(tokenizer)。不给时取模型的 config.vocab_size，
    这对 BERT 成立（bert-base-uncased 两者都是 30522）；嵌入表被补齐到更大尺寸的检查点
    （t5-base：分词器 32100，config.vocab_size 32128）要显式给出，否则正确的下载也会被拒绝。
    """
    folder = Path(folder)
    if not folder.is_dir():
        # 否则 from_pretrained 会把这个字符串当成 Hub 上的仓库名
        raise FileNotFoundError(f"not a local folder: {folder}")
    tokenizer = BertTokenizer.from_pretrained(folder)
    model, info = BertModel.from_pretrained(folder, output_loading_info=True)
    # 比较 len() 而不是 vocab_size：vocab_size 不含分词器自己补上的特殊符号。vocab.txt 里
    # 缺 [CLS]、[SEP] 等时 vocab_size 照样对得上，补上的特殊符号却拿到超出嵌入表的编号，
    # 要到模型前向时才以 IndexError 失败。
    expected = model.config.vocab_size if expected_tokens is None else expected_tokens
    if len(tokenizer) != expected:
        raise ValueError(f"tokenizer has {len(tokenizer)} tokens, expected {expected}: "
                         "is vocab.txt missing, or without special tokens?")
    if len(tokenizer) > model.config.vocab_size:  # 有编号落在嵌入表之外
        raise ValueError(f"tokenizer has {len(tokenizer)} tokens, the embedding table only "
                         f"{model.config.vocab_size}")
    if info["missing_keys"]:
        raise ValueError(f"weights not found in the checkpoint: {sorted(info['missing_keys'])}")
    return tokenizer, model


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        print("files:", save_tiny_bert(folder))
        tokenizer, model = load_local_bert(folder)
        inputs = tokenizer("The cats sat", return_tensors="pt")
        print("tokens:", tokenizer.convert_ids_to_tokens(inputs["input_ids"][0]))
        with torch.no_grad():
            outputs = model(**inputs)
        print("last_hidden_state:", tuple(outputs.last_hidden_state.shape))


if __name__ == "__main__":
    main()
