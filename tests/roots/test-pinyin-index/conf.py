extensions = ["pinyin_index"]
language = "zh_CN"
