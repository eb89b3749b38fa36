"""The closed vocabulary of facts a rule may read, and how a claim becomes one.

Every fact a rule file names must be listed here, with its type; the loader
refuses anything else (with a did-you-mean). A claim is turned into one flat,
small *fact*: the application's facts, the claim's facts and the ledger's,
encoded the way the inference engine compares them exactly:

* dates as integers ``YYYYMMDD`` (so "N years later" is ``+ N*10000``);
* money as integer fen;
* divisions as canonical codes; names in canonical form.

An absent value is simply left out: it is *unknown* to the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from ..money import from_fen

__all__ = [
    "CHANGEABLE",
    "ENUM_LABELS",
    "FACTS",
    "FactSpec",
    "application_field",
    "decode_date",
    "encode_date",
]

FactType = Literal["date", "bool", "money", "count", "text", "enum", "division", "text_list", "category"]


@dataclass(frozen=True)
class FactSpec:
    path: str
    type: FactType
    zh: str
    en: str
    scope: Literal["application", "claim", "ledger", "computed"]
    values: tuple[str, ...] = ()
    source: str | None = None  # the application field it comes from, when not `path`
    always: bool = False  # every valid claim has it (required or defaulted): never unknown
    param: str | None = None  # computed: the parameter (a table) it is computed with


def _f(
    path: str,
    type_: FactType,
    zh: str,
    en: str,
    scope: str = "claim",
    values: tuple[str, ...] = (),
    source: str | None = None,
    param: str | None = None,
) -> FactSpec:
    return FactSpec(path, type_, zh, en, scope, values, source, path in ALWAYS, param)  # type: ignore[arg-type]


# Required by the application format, defaulted by it, or supplied by the ledger; a claim
# always carries its patent (intake checks it for every programme that reads one).
ALWAYS = frozenset(
    {
        "submitted_on",
        "applicant.type",
        "applicant.name",
        "applicant.infringement_record",
        "applicant.form",
        "patent.number",
        "patent.kind",
        "patent.abnormal",
        "ledger.already_awarded",
        "ledger.awarded_total",
    }
)


# 工信部联企业〔2011〕300号: the industries whose thresholds the rules give (other: none given)
# What an applicant is: an individual, or the legal form its credit-code category names (GB 32100)
LEGAL_FORMS = (
    "enterprise",
    "individual_business",
    "farmers_cooperative",
    "government_organ",
    "public_institution",
    "social_organization",
    "private_non_enterprise",
    "foundation",
    "other_organization",
    "individual",
)
INDUSTRIES = ("industrial", "wholesale", "retail", "software_it", "information_transmission", "other")
SIZE_CLASSES = ("large", "medium", "small", "micro")

# How people read the values of the vocabulary's enums (zh, en).
ENUM_LABELS: dict[str, tuple[str, str]] = {
    "individual_business": ("个体工商户", "individual business"),
    "farmers_cooperative": ("农民专业合作社", "farmers' cooperative"),
    "government_organ": ("机关", "government organ"),
    "public_institution": ("事业单位", "public institution"),
    "social_organization": ("社会团体", "social organisation"),
    "private_non_enterprise": ("民办非企业单位", "private non-enterprise unit"),
    "foundation": ("基金会", "foundation"),
    "other_organization": ("其他组织", "other organisation"),
    "industrial": ("工业", "industry (mining, manufacturing, utilities)"),
    "wholesale": ("批发业", "wholesale"),
    "retail": ("零售业", "retail"),
    "software_it": ("软件和信息技术服务业", "software and IT services"),
    "information_transmission": ("信息传输业", "information transmission"),
    "other": ("其他行业", "another industry"),
    "large": ("大型企业", "large enterprise"),
    "medium": ("中型企业", "medium-sized enterprise"),
    "small": ("小型企业", "small enterprise"),
    "micro": ("微型企业", "micro enterprise"),
}

# Facts an applicant can act on — by recording a transfer, starting production in Puyang,
# registering a contract or a pledge, putting the technology to use — or supply when the
# application leaves them out. Every other fact an application gives is of record: minimal-change
# guidance never proposes to change it (the kind of patent, the seller, the dates of record, an
# earlier award).
CHANGEABLE = frozenset(
    {
        "patent.holders",
        "industrialization.division",
        "industrialization.started_on",
        "contract_registered",
        "implemented",
        "owns_ip",
        "transformed_in_puyang",
        "pledge_loan.pledge_registered",
    }
)


FACTS: dict[str, FactSpec] = {
    spec.path: spec
    for spec in (
        _f("submitted_on", "date", "提交日期", "submission date", "application"),
        _f(
            "applicant.type",
            "enum",
            "申请人类型",
            "applicant type",
            "application",
            ("enterprise", "individual"),
        ),
        _f("applicant.name", "text", "申请人名称", "applicant name", "application"),
        _f(
            "applicant.category",
            "category",
            "统一社会信用代码登记类别",
            "credit-code category",
            "application",
            source="applicant.credit_code",
        ),
        _f(
            "applicant.form",
            "enum",
            "申请人性质",
            "applicant's legal form",
            "application",
            LEGAL_FORMS,
            source="applicant.credit_code",
        ),
        _f("applicant.division", "division", "申请人所在地", "applicant's division", "application"),
        _f(
            "applicant.infringement_record",
            "bool",
            "知识产权侵权失信记录",
            "IP-infringement credit record",
            "application",
        ),
        _f("patent.number", "text", "专利号", "patent number"),
        _f("patent.kind", "enum", "专利类型", "patent kind", values=("invention", "utility_model", "design")),
        _f("patent.holders", "text_list", "专利权人", "patentees of record", source="patent.holder"),
        # what rule files written before co-owned patents read (archived versions still do): the
        # patentee of record as one text, several joined with ；
        _f("patent.holder", "text", "专利权人", "patentee of record"),
        _f("patent.co_owned", "bool", "共有专利", "co-owned patent", source="patent.holder"),
        _f(
            "patent.co_owners",
            "text_list",
            "申请人以外的共有专利权人",
            "co-owners besides the applicant",
            source="patent.holders",
        ),
        _f("patent.filed_on", "date", "申请日", "filing date"),
        _f("patent.granted_on", "date", "授权日", "grant date"),
        _f("patent.in_force", "bool", "专利有效", "patent in force"),
        _f("patent.abnormal", "bool", "非正常专利申请认定", "flagged as abnormal application"),
        _f("patent.inventors", "text_list", "发明人", "inventors"),
        _f(
            "patent.high_value.strategic_emerging_industry",
            "bool",
            "属于战略性新兴产业",
            "strategic emerging industry",
        ),
        _f(
            "patent.high_value.overseas_family_granted",
            "bool",
            "海外同族专利已授权",
            "family patent granted abroad",
        ),
        _f("patent.high_value.pledge_financing", "money", "质押融资金额", "pledge financing"),
        _f(
            "patent.high_value.china_patent_award",
            "enum",
            "中国专利奖",
            "China Patent Award",
            values=("none", "gold", "silver", "excellence"),
        ),
        _f(
            "patent.high_value.national_science_award",
            "bool",
            "国家科学技术奖",
            "national science and technology award",
        ),
        _f("industrialization.division", "division", "产业化地点", "industrialization site"),
        _f("industrialization.started_on", "date", "产业化开始日期", "industrialization start"),
        _f(
            "technology_from_outside_puyang",
            "bool",
            "技术来自濮阳市以外",
            "technology comes from outside Puyang",
        ),
        _f(
            "seller.type",
            "enum",
            "卖方类型",
            "seller type",
            values=("university", "research_institute", "individual", "enterprise"),
        ),
        _f("seller.name", "text", "卖方名称", "seller name"),
        _f("seller.country", "text", "卖方国家或地区", "seller country"),
        _f("deal", "enum", "交易方式", "kind of deal", values=("assignment", "license")),
        _f("related_party", "bool", "关联交易", "related-party transaction"),
        _f("transaction_amount", "money", "技术交易额", "transaction amount"),
        _f("contract_registered", "bool", "技术合同认定登记", "technology contract registered"),
        _f("implemented", "bool", "已实施转化", "put into implementation"),
        _f("owns_ip", "bool", "拥有自主知识产权", "owns the IP"),
        _f("transformed_in_puyang", "bool", "在濮阳实现成果转化", "results transformed in Puyang"),
        _f("benefits", "text", "经济社会效益陈述", "statement of benefits"),
        _f("enterprise_size.industry", "enum", "所属行业（划型）", "industry (for the size class)", values=INDUSTRIES),
        _f("enterprise_size.employees", "count", "从业人员（人）", "employees"),
        _f("enterprise_size.revenue", "money", "上年营业收入", "revenue of the last year"),
        _f(
            "enterprise_size.sme_class",
            "enum",
            "企业规模（划型）",
            "size class",
            "computed",
            values=SIZE_CLASSES,
            source="enterprise_size",
            param="sme_size_classes",
        ),
        _f("pledge_loan.lender", "text", "贷款银行", "lending bank"),
        _f("pledge_loan.amount", "money", "质押贷款金额", "pledge loan amount"),
        _f("pledge_loan.pledge_registered", "bool", "知识产权质押已登记", "IP pledge registered"),
        _f("interest_paid", "money", "已付贷款利息", "loan interest paid"),
        _f(
            "ledger.already_awarded",
            "bool",
            "该专利已获本项奖励",
            "already awarded under this programme",
            "ledger",
        ),
        _f(
            "ledger.awarded_total",
            "money",
            "本企业本项已获奖励合计",
            "awarded to this enterprise under this programme",
            "ledger",
        ),
    )
}


def encode_date(value: date) -> int:
    """``date(2024, 3, 15)`` -> ``20240315``."""
    return value.year * 10000 + value.month * 100 + value.day


def decode_date(value: int) -> str:
    text = f"{value:08d}"
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def application_field(path: str, claim_no: int) -> str | None:
    """Where in the application file a fact comes from (None for ledger facts, and for facts
    computed from others, whose own sources are named instead)."""
    spec = FACTS[path]
    source = spec.source or path
    if spec.scope in ("ledger", "computed"):
        return None
    if spec.scope == "application":
        return source
    return f"claims[{claim_no}].{source}"


def plain_value(spec: FactSpec, value: Any) -> Any:
    """An encoded fact value back in the application's own terms (for JSON)."""
    if value is None:
        return None
    if spec.type == "date":
        return decode_date(value)
    if spec.type == "money":
        return str(from_fen(value))
    return value
