"""An application's problems in the user's words: by the code the reader gave each one where
it found it (:class:`engine.errors.Problem`'s ``code`` and ``params``), never by its English.

A problem without a code (those the reader has not coded yet: a YAML syntax error, a text
too long, a programme not in force…) is still recognised by pattern (:data:`_FIELD_ERRORS`)
and said in Chinese with the engine's own words after it, so nothing it said is lost.
"""

from __future__ import annotations

import re

from ..errors import Problem
from ..explain.words import VALUE_LABELS, field_label

__all__ = ["APPLICATION_WORDS", "ENGLISH_WORDS", "field_error", "field_words", "problem_line", "problem_words"]

# code -> Chinese; {name} the values the problem names (its params).
APPLICATION_WORDS: dict[str, str] = {
    "required": "此项必填。",
    "credit_code_required": "企业申请人须填写统一社会信用代码（营业执照上的 18 位代码）。",
    "unknown_field": "没有“{name}”这一项（字段名写错或多余）。",
    "unknown_program": "没有“{name}”这一奖补项目。",
    "one_of": "须为以下之一：{expected}；填写的是 {got}。",
    "true_false": "请填写 true（是）或 false（否），填写的是 {got}。",
    "check_char": "校验位应为 {expected}，填写的是 {got}：请重新核对号码，很可能有一个字符抄错。",
    "check_digit_missing": "缺少校验位：号码应以“.{expected}”结尾（见专利证书）。",
    "credit_code_length": "统一社会信用代码为 18 位，填写了 {found} 位。",
    "id_number_length": "身份证号码为 18 位，填写了 {found} 位。",
    "division_unknown": "没有名为“{given}”的行政区划。",
    "date_form": "日期请按“年-月-日”填写，如 2024-03-15；填写的是 {got}。",
    "date_unreal": "{got} 不是真实存在的日期。",
    "date_before": "{date} 早于{other}（{when}）。",
    "filing_year": "申请日在 {year} 年，但专利号的前四位表示申请年份为 {number_year} 年。",
    "kind_mismatch": "专利类型填写为“{declared}”，但专利号的类型位 {digit} 表示“{kind}”。",
    "money_unit": "金额以元为单位，不用“万”“亿”：{got}；如 25万 应写作 250000.00。",
    "money_currency": "金额只写数字（单位为元），不写货币符号或单位：{got}。",
    "money_comma": "逗号只能用于千位分隔（如 1,500,000.00），不能当作小数点：{got}。",
    "money_exponent": "金额请完整写出，不用科学记数法：{got}。",
    "money_form": "不是金额：{got}；请写数字、小数点和至多两位小数，如 1500000.00。",
    "money_float": '金额须加引号作为文字写出，如 "{got}"（不加引号会被读作浮点数）。',
    "money_type": '金额请写作带引号的数字，如 "1500000.00"。',
    "money_decimals": "金额最多两位小数（到分），填写的是 {got}。",
    "money_negative": "金额不能为负数，填写的是 {got}。",
    "money_too_large": "金额过大：最多 {most} 元。",
    "money_zero": "金额须大于零，填写的是 {got}。",
    "number_range": "数字的指数超出可读范围：{got}；请用数字完整写出，如 1500000.00。",
    # the file as a whole
    "file_empty": "文件是空的：请上传填写好的申报文件。",
    "utf16": "文件以 UTF-16 编码保存：请另存为 UTF-8 编码后重新上传。",
    "not_utf8": "文件不是 UTF-8 编码（第 {position} 个字节为 0x{byte}）：GBK 或 GB18030 文件请另存为 UTF-8。",
    "no_application": "文件中没有申报。",
    "many_applications": "文件中有不止一份申报，自查一次核验一份：请逐份上传。",
    "yaml_syntax": "文件格式有误，无法读取（{what}）：请检查本行及上一行的缩进和括号。",
    "yaml_quote": '本行的引号没有闭合：请在同一行内补上，如 transaction_amount: "1200000.00"。',
    "json_syntax": "JSON 格式有误（第 {column} 列）：请检查本行及上一行是否缺少逗号、引号或括号。",
}
# English pages show the engine's own words and hint, but for a message naming a field by its key
# and a hint naming a command (a web user has no command line).
ENGLISH_WORDS: dict[str, str] = {
    "date_before": "{date} is before the {other} ({when}).",
    "no_application": "The file holds no application.",
    "many_applications": "The file holds more than one application; a self-check reads one: upload them one by one.",
}
# The application's own fields, named on a Chinese page (the English keeps the key, as written);
# ``program`` only in a claim (at the top it is a field that does not exist).
_DOCUMENT_FIELDS = {
    "applicant": "申请人信息",
    "claims": "申报项目",
    "format": "文件格式版本（format）",
    "id": "申请编号",
}
_CLAIM_FIELDS = {"program": "奖补项目"}

# Said after a problem whose params name a close match (did you mean).
_SUGGESTION = "您是否要填写“{suggestion}”？"

# Problems without a code yet: recognised by their English, said in Chinese.
_FIELD_ERRORS: tuple[tuple[str, str], ...] = (
    (r"invisible format character", "含有不可见的格式字符（如零宽空格、双向文字控制符），请删除后重新填写。"),
    (r"surrogate pair", "含有残缺的字符编码（半个代理对），请重新输入该字符。"),
    (r"control character", "含有控制字符，请删除后重新填写（文字中只能有制表符和换行）。"),
    (r"not an application file", "不是申报文件：请上传 .yaml、.yml、.json 或 .jsonl 文件。"),
    (r"country", "填写国家或地区的两位代码，如 CN（中国）、US（美国），或其中文、英文名称。"),
    (r"is required|field required|missing", "此项必填。"),
    (r"check (digit|character)", "校验位不正确，请核对号码。"),
    (r"was filed in|is in \d{4}", "申请日与专利号中的申请年份不一致。"),
    (r"date is written|not a real date", "请按“年-月-日”填写一个真实的日期。"),
    (r"amount|money|yuan|decimal", "金额以元为单位，如 1500000.00，最多两位小数，须大于零。"),
    (r"division|place", "请选择或填写正确的行政区划（代码或名称）。"),
    (r"credit code", "统一社会信用代码不正确。"),
    (r"patent number|type digit", "专利号不正确（ZL + 12 位数字 + . + 校验位）。"),
    (r"kind", "专利类型与专利号的类型位不一致。"),
    (r"true or false", "请选择“是”或“否”。"),
    (r"an id is", "申请编号只能含字母、数字、“-”“_”“.”。"),
)


def field_error(message: str, lang: str, whole_file: bool = False) -> str:
    """An uncoded error's English as shown beside its field: in Chinese, what kind of mistake
    (the engine's own words follow, so nothing it said is lost); in English, the engine's words.
    ``whole_file``: the problem is the file's, not a field's."""
    if lang == "en":
        return message
    lowered = message.lower()
    for pattern, said in _FIELD_ERRORS:
        if re.search(pattern, lowered):
            return f"{said}（{message}）"
    return f"{'文件有误' if whole_file else '此项填写有误'}（{message}）"


def _chinese_quotes(value: str) -> str:
    """A value quoted back (:func:`engine.errors.quoted`) in Chinese quotes: ``'ab'`` -> “ab”,
    ``'abc… (100,002 characters)`` -> “abc…”（共 100,002 个字符）."""
    whole = re.fullmatch(r"'(.*)'", value, flags=re.S)
    if whole:
        return f"“{whole.group(1)}”"
    cut = re.fullmatch(r"'(.*…) \(([\d,]+) characters\)", value, flags=re.S)
    return f"“{cut.group(1)}”（共 {cut.group(2)} 个字符）" if cut else value


def _value(value: str, lang: str) -> str:
    labels = VALUE_LABELS.get(value.strip("'"))
    return value if labels is None else f"{value}（{labels[0]}）" if lang != "en" else value


def problem_words(problem: Problem, lang: str) -> str:
    """What is wrong, in the user's language, with what would be right (the check character,
    the name meant); an uncoded problem in words found by pattern, its hint after it."""
    en = lang == "en"
    template = (ENGLISH_WORDS if en else APPLICATION_WORDS).get(problem.code or "")
    params = dict(problem.params)
    if template is None:
        said = field_error(problem.message, lang, not problem.path)  # English: the engine's own words
        return f"{said}{'; ' if en else '（提示：'}{problem.hint}{'' if en else '）'}" if problem.hint else said
    if not en and "got" in params:  # as typed, in Chinese quotes
        params["got"] = _chinese_quotes(params["got"])
    if "other" in params:  # a field named in the message: in words
        params["other"] = field_label(params["other"], lang)
    if "expected" in params and problem.code == "one_of":
        params["expected"] = ("、" if not en else ", ").join(_value(v, lang) for v in params["expected"].split("、"))
    for key in ("declared", "kind"):
        if key in params:
            labels = VALUE_LABELS.get(params[key])
            params[key] = labels[1 if en else 0] if labels else params[key]
    try:
        said = template.format(**params)
    except (KeyError, IndexError):
        return field_error(problem.message, lang)
    if params.get("suggestion"):
        said += _SUGGESTION.format(suggestion=params["suggestion"])
    elif params.get("suggestions"):
        said += _SUGGESTION.format(suggestion=params["suggestions"].replace("、", "”或“"))
    elif problem.code == "division_unknown":
        said += "请填写区县名称（如华龙区）或 6 位行政区划代码。"
    return said


def problem_line(problem: Problem, lang: str, where: str) -> str:
    """One problem of an uploaded file as listed: its line, the field in words (``where``:
    what names it when it has no field, the file), and :func:`problem_words`.
    ``第12行 · 第1个申报项目 · 卖方类型：须为以下之一…；您是否要填写“university”？``"""
    en = lang == "en"
    parts = [f"line {problem.line}" if en else f"第{problem.line}行"] if problem.line is not None else []
    if problem.line is not None:  # a batch's record is named by its file and line: the line once
        where = where.removesuffix(f":{problem.line}")
    parts.append(field_words(problem.path, lang) or where)
    return f"{' · '.join(parts)}{': ' if en else '：'}{problem_words(problem, lang)}"


def field_words(path: str, lang: str) -> str:
    """An application field path as people call it: ``claims[1].patent.number`` ->
    第1个申报项目 · 专利号 (Claim 1 · patent number)."""
    match = re.fullmatch(r"claims\[(\d+)\](?:\.(.+))?", path)
    if match is None:
        return _field_label(path, lang, _DOCUMENT_FIELDS) if path else ""
    n, rest = match.groups()
    head = f"第{n}个申报项目" if lang != "en" else f"Claim {n}"
    return f"{head} · {_field_label(rest, lang, _CLAIM_FIELDS)}" if rest else head


def _field_label(path: str, lang: str, own: dict[str, str]) -> str:
    return own[path] if lang != "en" and path in own else field_label(path, lang)
