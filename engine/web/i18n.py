"""The words of the pages, in Chinese (the default) and English.

Only the pages' own chrome is here: headings, buttons, column names. What a
decision says — criteria, explanations, hints, the plan's quotes — comes from the
rule files through :mod:`engine.explain`, never from this table.
"""

from __future__ import annotations

from typing import Any

from .problem_words import field_error, field_words

__all__ = ["LANGS", "PROBLEM_WORDS", "ROLES", "field_error", "field_words", "problem_text", "text"]

LANGS = ("zh", "en")

WORDS: dict[str, tuple[str, str]] = {
    "site": ("濮阳市知识产权强市试点 奖补资格核验", "Puyang IP pilot · subsidy eligibility"),
    "dept": ("濮阳市市场监督管理局（知识产权局）", "Puyang Administration for Market Regulation (IP Office)"),
    "switch": ("English", "中文"),
    "home": ("首页", "Home"),
    "selfcheck": ("政策自查", "Self-check"),
    "queue": ("待评审", "Review queue"),
    "batch": ("批量筛查", "Batch screening"),
    "report": ("统计报表", "Report"),
    "history": ("决定记录", "Decision history"),
    "replay": ("重放核验", "Replay"),
    "verify": ("链完整性", "Verify chain"),
    "mine": ("我的申报", "My applications"),
    "login": ("登录", "Sign in"),
    "logout": ("退出", "Sign out"),
    "signed_in_as": ("当前用户", "Signed in as"),
    "username": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "bad_login": ("用户名或密码不正确。", "The user name or password is wrong."),
    "too_many": ("尝试次数过多，请 {n} 秒后再试。", "Too many attempts: try again in {n} s."),
    "form_too_large": (
        "表单过大：一次最多提交 {n} 个字段或文件。",
        "The form is too large: at most {n} fields or files are read at once.",
    ),
    "selfcheck_intro": (
        "填写申报信息，即时查看是否符合濮政〔2022〕19号奖补条件。本页不保存您填写的任何内容。",
        "Fill in an application and see at once whether it meets the incentive clauses of 濮政〔2022〕19号. "
        "Nothing you type here is stored.",
    ),
    "applicant": ("申请人", "Applicant"),
    "credit_code": ("统一社会信用代码", "Credit code"),
    "claim": ("申报项目", "Claim"),
    "add_claim": ("再添加一项申报", "Add another claim"),
    "program": ("奖补项目", "Programme"),
    "submit_check": ("核验", "Check"),
    "or_upload": ("或上传申报文件（YAML / JSON）", "Or upload an application file (YAML / JSON)"),
    "upload_refused": (
        "上传的申报文件有误，请更正后重新上传：",
        "The uploaded file has problems; correct them and upload it again:",
    ),
    "edit_check": ("修改申报", "Edit the application"),
    "new_check": ("重新自查", "Start a new self-check"),
    "upload": ("上传并核验", "Upload and check"),
    "file": ("文件", "File"),
    "choose_file": ("请选择文件", "choose a file"),
    "fix_fields": ("请更正下列标出的内容。", "Please correct the fields marked below."),
    "unknown": ("不清楚", "not known"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "result": ("核验结果", "Result"),
    "outcome": ("结论", "Outcome"),
    "amount": ("金额（元）", "Amount (yuan)"),
    "total": ("合计奖励", "Total award"),
    "criteria": ("逐项条件", "Criteria"),
    "criterion": ("条件", "Criterion"),
    "status": ("状态", "Status"),
    "clause": ("条款", "Clause"),
    "explanation": ("说明", "Explanation"),
    "facts_used": ("所用事实", "Facts used"),
    "what_to_do": ("您可以怎么做", "What you can do"),
    "missing": ("缺少信息", "Missing"),
    "arithmetic": ("计算", "Arithmetic"),
    "ar_base": ("计算基数", "base"),
    "ar_rate": ("比例", "rate"),
    "ar_gross": ("按比例计", "gross"),
    "ar_cap": ("单个企业上限", "cap"),
    "ar_used": ("已用", "used"),
    "ar_room": ("剩余", "room"),
    "ar_amount": ("奖励", "amount"),
    "plan_text": ("政策原文", "Policy text"),
    "maximums": ("可获上限", "Maximums"),
    "met": ("符合", "met"),
    "not_met": ("不符合", "not met"),
    "unknown_status": ("待定", "unknown"),
    "eligible": ("符合条件", "Eligible"),
    "ineligible": ("不符合条件", "Ineligible"),
    "needs_review": ("待评审", "Needs review"),
    "decision": ("决定", "Decision"),
    "application": ("申请", "Application"),
    "submitted_on": ("提交日期", "Submitted"),
    "division": ("所在地", "Division"),
    "reason": ("原因", "Reason"),
    "filter": ("筛选", "Filter"),
    "all": ("全部", "all"),
    "open_points": ("待定条件", "Open criteria"),
    "as_told": ("", "as the applicant was told: "),  # the recorded summary is Chinese
    "held": ("暂占金额", "Held for review"),
    "applications_n": ("申请 {n} 份", "{n} applications"),
    "review_split": (
        "（已有评审结论 {settled} 项，尚待评审 {open} 项）",
        " ({settled} settled, {open} still awaiting review)",
    ),
    "none_waiting": ("没有待评审的决定。", "Nothing awaits review."),
    "settle": ("评审结论", "Settle"),
    "settled_col": ("已评审", "Settled"),
    "internal": (
        "系统内部错误（编号 {reference}），并非您的输入有误；请将此编号告知管理员。",
        "Internal error {reference}: a fault of the engine, not of the request; please report it with this reference.",
    ),
    "too_large": ("提交的内容过大。", "The request is too large."),
    "file_too_large": ("申报文件最大 {kb} KB。", "An application file is at most {kb} KB."),
    "choose_files": (
        "请选择一个或多个申报文件（.yaml、.json、.jsonl）。",
        "Choose one or more application files (.yaml, .json, .jsonl).",
    ),
    "too_many_files": (
        "一次最多上传 {n} 个文件；更多的申报请合并为一个 .jsonl 文件。",
        "At most {n} files at once: put larger batches in one .jsonl.",
    ),
    "too_many_batches": (
        "正在运行的批量筛查过多，请等待其中之一完成。",
        "Too many batches are running: wait for one to finish.",
    ),
    "no_batch": ("没有找到此批次。", "No such batch."),
    "settle_outcome": ("评审结论", "Outcome"),
    "settle_amount": ("金额（元，不填按决定所允许）", "Amount (yuan; empty: what the decision allows)"),
    "settle_fund": ("科研经费（元/年，不填即不给予）", "Research fund (yuan a year; empty: none)"),
    "settle_housing": ("住房面积（平方米，不填即不给予）", "Housing (m²; empty: none)"),
    "settle_up_to_note": (
        "结论为“符合条件”时，科研经费和住房面积至少填写一项。",
        "An eligible settlement gives the research fund, the housing, or both.",
    ),
    "settle_reason": ("理由", "Reason"),
    "record_settlement": ("记录评审结论", "Record the settlement"),
    "settled": ("已记录评审结论", "Settlement recorded"),
    "settled_as": ("已评审：", "settled: "),
    "settlements": ("评审结论", "Settlements"),
    "record": ("记录", "Record"),
    "record_hash": ("记录哈希", "Record hash"),
    "recorded_at": ("记录时间", "Recorded"),
    "ruleset": ("规则版本", "Ruleset"),
    "input": ("申报内容", "Application as recorded"),
    "earlier": ("占用上限或专利的在先决定", "Earlier decisions using the cap or the patent"),
    "print": ("打印", "Print"),
    "search": (
        "检索（申请号、信用代码、专利号或申请人名称）",
        "Search (application id, credit code, patent or applicant name)",
    ),
    "replay_intro": (
        "按照作出决定时的规则重新计算，逐字段与记录比对。"
        "填写申请编号或决定编号（每行一个），或按条件筛选（最多 {n} 项）。",
        "Decisions are evaluated again under the rules they were made under and compared field by field. "
        "Give application or decision ids (one a line), or filter (at most {n}).",
    ),
    "replay_ids_label": ("申请编号或决定编号", "Application or decision ids"),
    "replay_run": ("重放", "Replay"),
    "go": ("查询", "Search"),
    "more": ("下一页", "Next page"),
    "nothing_found": ("没有找到决定。", "No decisions found."),
    "replay_one": ("重放此决定", "Replay this decision"),
    "replay_all": ("重放筛选出的决定", "Replay the decisions listed"),
    "reproduced": ("结果一致", "reproduced"),
    "differs": ("结果不同", "differs"),
    "wording_changed": ("措辞有变化，决定相同", "wording changed, decision the same"),
    "field": ("字段", "Field"),
    "recorded_value": ("记录值", "Recorded"),
    "now_value": ("今日重算", "Now"),
    "same": ("一致", "same"),
    "fields_same": ("全部 {n} 个字段一致", "All {n} fields the same"),
    "fields_same_rest": ("其余 {n} 个字段一致", "The other {n} fields the same"),
    "replay_all_same": ("{n} 项决定与记录一致。", "{n} decision(s) the same as recorded."),
    "verify_run": ("核验整条记录链", "Verify the whole chain"),
    "intact": ("完整：{n} 条记录，链头哈希", "Intact: {n} records, chain head"),
    "altered": ("记录被改动", "ALTERED"),
    "note_head": ("请记下链头哈希，日后核验时比对。", "Note the chain head down to compare at the next audit."),
    "upload_batch": ("上传申报文件（可多选，或 .jsonl）", "Upload application files (several, or a .jsonl)"),
    "start_screen": ("开始筛查", "Start screening"),
    "progress": ("进度", "Progress"),
    "screened": ("已记录 {r} 份 · 已有记录 {a} 份 · 无效 {i} 份", "{r} recorded · {a} already recorded · {i} invalid"),
    "st_recorded": ("已记录", "recorded"),
    "st_already_recorded": ("已有记录，未重复记录", "already recorded"),
    "st_invalid": ("无效", "invalid"),
    "st_failed": ("出错", "failed"),
    "st_skipped": ("未读取", "not read"),
    "done": ("完成", "Done"),
    "running": ("筛查中…", "Screening…"),
    "by_program": ("按项目", "By programme"),
    "by_division": ("按所在地", "By division"),
    "by_month": ("按月份（提交）", "By month (submitted)"),
    "awards": ("项数", "Awards"),
    "one_off": ("一次性奖励（元）", "One-off (yuan)"),
    "per_year": ("每年经费（元）", "Per year (yuan)"),
    "housing": ("住房（平方米）", "Housing (m²)"),
    "csv": ("导出 CSV（Excel）", "Export CSV (Excel)"),
    "outcomes": ("结论分布", "Outcomes"),
    "forbidden": ("您无权查看此页面。", "You may not see this page."),
    "not_found": ("没有找到。", "Not found."),
    "error": ("出错了", "Something went wrong"),
    "settled_by": ("评审人", "Reviewer"),
    "seq": ("序号", "Seq"),
    "welcome": (
        "企业和发明人可先自查；评审、审计和企业用户请登录。",
        "Enterprises and inventors can self-check first; reviewers, auditors and enterprise users sign in.",
    ),
}

ROLES = {
    "reviewer": ("评审人员", "a reviewer"),
    "auditor": ("审计人员", "an auditor"),
    "enterprise": ("企业用户", "an enterprise"),
}

# Problems said in the user's words, by the code an error carries (a WebError's ``words``,
# a Problem's ``code``) with the values it names: never by matching the English text.
PROBLEM_WORDS: dict[str, tuple[str, str]] = {
    "role_forbidden": ("{role}不能查看此页面或执行此操作。", "{role} may not see this page or do this."),
    "not_yours": ("没有找到：此编号下没有您可以查看的记录。", "Not found: nothing recorded under that id for you."),
    "not_found": ("没有找到此页面或记录。", "Nothing was found at this address."),
    "method_not_allowed": ("此页面不能这样打开，请从菜单进入。", "This page cannot be opened this way: use the menu."),
    "bad_request": ("请求有误。", "The request is not valid."),
    "altered_record": (
        "存储中的此记录或其规则档案在写入后被改动过（与其哈希值不符），不予显示；请由审计人员核验决定记录。",
        "This record or its rules archive was altered after it was written (it does not match its hash) and is "
        "not shown: an auditor should verify the decision log.",
    ),
    "csrf": (
        "表单已过期或并非来自本站：请刷新页面后重试。",
        "The form has expired or did not come from this site: reload the page and try again.",
    ),
    "replay_ids": ("请填写要重放的申请编号或决定编号。", "Name the applications or decisions to replay."),
    "no_decision": (
        "没有记录为“{id}”的决定：请填写申请编号或决定编号（如 PY-2024-0001/1）。",
        "No decision is recorded as '{id}': give application ids or decision ids such as PY-2024-0001/1.",
    ),
    "settle_outcome": ("评审结论只能是“符合条件”或“不符合条件”。", "A settlement is eligible or ineligible."),
    "settle_reason": ("请填写评审理由。", "Give the reason for the settlement."),
    "settle_ineligible_amount": (
        "结论为“不符合条件”时不予奖励：金额和住房面积请留空。",
        "An ineligible settlement grants nothing: leave the amount and the housing empty.",
    ),
    "settle_amount_needed": (
        "申报未写明技术交易额：请填写给予的金额。",
        "The application gives no transaction amount: give the amount to grant.",
    ),
    "settle_over_room": (
        "金额 {amount} 元超过本决定现可给予的 {room} 元。",
        "The amount {amount} yuan exceeds what this decision may grant now: {room} yuan.",
    ),
    "settle_over_fund": (
        "科研经费 {amount} 元超过每年最高 {most} 元。",
        "The research fund {amount} yuan exceeds the most of {most} yuan a year.",
    ),
    "settle_money": (
        "金额以元为单位，如 75000.00，最多两位小数，须大于零。",
        "An amount is in yuan, e.g. 75000.00, at most two decimals, more than zero.",
    ),
    "settle_housing": ("住房面积请填写平方米数，如 120。", "Housing is a number of square metres, e.g. 120."),
    "settle_housing_range": (
        "住房面积 {got} 平方米超出范围（大于 0，至多 {most} 平方米）。",
        "Housing {got} m² is outside 0 < area ≤ {most} m².",
    ),
    "settle_not_open": (
        "决定 {decision} 无需评审，只有待评审的决定才能记录评审结论。",
        "Decision {decision} does not await review: only those that do are settled.",
    ),
    "settle_already": (
        "决定 {decision} 已由 {reviewer} 记录评审结论。",
        "Decision {decision} was already settled by {reviewer}.",
    ),
    "settle_no_decision": ("没有决定 {decision}。", "No decision {decision} is recorded."),
    "settle_patent_taken": (
        "专利 {patent} 已由决定 {other} 占用或获奖：每项专利只奖励一次。",
        "Patent {patent} is held or awarded by decision {other}: a patent is awarded once.",
    ),
    "settle_nothing_granted": (
        "符合条件的发明人奖励须写明给予的内容：每年科研经费（元/年）、住房面积（平方米），或两者都填；不填的一项即不给予。",
        "An eligible inventor grant names what it grants: the research fund per year, the housing area, or both; "
        "a field left empty grants none of it.",
    ),
    "settle_cap_reached": (
        "本企业已达单个企业奖励上限 {cap} 元。",
        "The per-enterprise cap of {cap} yuan is already reached.",
    ),
}


def text(key: str, lang: str, **values: object) -> str:
    zh, en = WORDS.get(key, (key, key))
    chosen = en if lang == "en" else zh
    return chosen.format(**values) if values else chosen


def problem_text(error: Any, lang: str) -> str:
    """What an error (a :class:`~engine.web.errors.WebError`) says on a page: by its code in
    :data:`PROBLEM_WORDS` (or the page words of :data:`WORDS`) in the user's language; else the
    field error's words."""
    template = PROBLEM_WORDS.get(error.words or "") or WORDS.get(error.words or "")
    if template is None:
        return field_error(error.message, lang)
    params = dict(error.params)
    if "role" in params:
        params["role"] = ROLES.get(params["role"], (params["role"], params["role"]))[0 if lang != "en" else 1]
    chosen = template[1] if lang == "en" else template[0]
    try:
        said = chosen.format(**params)
    except (KeyError, IndexError):
        return field_error(error.message, lang)
    return said[:1].upper() + said[1:] if lang == "en" else said
