"""The typical-case generator (典型案例脱敏, issue 18 part 4): a closed case's title, description and
answer with the people and the numbers taken out, so that a case talk can be given in the town
without anyone in the room recognising a neighbour. Never by hand: the stored text of a typical
case is this generator's output (services.training_session_record).

What goes (个人信息保护法 arts. 28, 73: ID numbers and whereabouts are sensitive; a name with a
village is enough to identify someone):
- party names, whole and by given name, and other names the text introduces by a relation or role
  (丈夫唐某某, 邻居欧阳某某) → 张某, 李某, 王某 … one token per person, the same each time;
- ID numbers (18 or 15 digits), phone numbers (mobiles and landlines, however punctuated);
- case codes (一案一码, with or without the town prefix);
- exact addresses: house numbers, groups, buildings, and the names of the case's village and grid."""

import re
from dataclasses import dataclass

import phonenumbers

from yimen.cases.models import Assignment, Case

TOKENS = ["张某", "李某", "王某", "赵某", "刘某", "陈某", "杨某", "黄某", "周某", "吴某", "徐某", "孙某"]
COMPOUND_SURNAMES = frozenset(
    {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "夏侯", "令狐", "宇文", "司徒"}
)
# Common surnames of 全州 and the country (the first hundred or so of 百家姓 as borne today).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤蒙欧"
)
# The words a Chinese text puts before a person's name (丈夫唐德明, 邻居欧阳春花, 申请人蒋秀兰).
RELATIONS = (
    "申请人|被申请人|当事人|受害人|被害人|证人|丈夫|妻子|前夫|前妻|儿子|女儿|儿媳|女婿|父亲|母亲|公公|婆婆|"
    "哥哥|弟弟|姐姐|妹妹|叔叔|伯伯|侄子|侄女|外甥|孙子|孙女|邻居|村民|村干部|组长|老板|包工头|工友|同事|亲戚"
)
# Characters that end a name found after a relation word (verbs and particles that follow it).
STOP = set("称说于在因与和的等及把被将向对要是也都已曾殴打骂可不来去到从给让叫请找把于、，。；：！？（）() \n")
NAME_AFTER_RELATION = re.compile(rf"(?:{RELATIONS})((?:{'|'.join(COMPOUND_SURNAMES)})|[{''.join(SURNAMES)}])")

ID_NUMBER = re.compile(r"(?<![\dA-Za-z])(?:\d{17}[\dXx]|\d{15})(?![\dA-Za-z])")
CASE_CODE = re.compile(r"(?<!\d)(?:\d{9}-)?(?:19|20)\d\d-\d{6}(?!\d)")
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)")
ADDRESS = [
    (re.compile(r"[0-9０-９一二三四五六七八九十百]+组[0-9０-９]+号"), "某组某号"),
    (re.compile(r"[0-9０-９]+(?:号楼|栋|幢|单元|室|号院|号)"), "某号"),
    (re.compile(r"[0-9０-９一二三四五六七八九十]+(?:组|队|屯)"), "某组"),
    (re.compile(r"[\u4e00-\u9fa5]{1,8}(?:路|街|巷|大道)[0-9０-９]*"), "某路"),
]


@dataclass
class Anonymised:
    title: str
    description: str
    answer: str


def _surname_length(name: str) -> int:
    return 2 if name[:2] in COMPOUND_SURNAMES else 1


def _name_after(text: str, start: int) -> str:
    """The name that begins at `start` (its surname already matched): up to two more characters,
    ending early at a verb or particle."""
    end = start
    while end < len(text) and end - start < 2 and text[end] not in STOP and "\u4e00" <= text[end] <= "\u9fa5":
        end += 1
    return text[start:end]


def anonymise_texts(texts: list[str], *, names: list[str], places: list[str] = (), codes: list[str] = ()) -> list[str]:
    """The texts with the parties' `names`, other introduced names, ID numbers, phones, case
    codes (`codes` and any in the code's shape), addresses and `places` (village, grid names)
    replaced. One token per person across all the texts."""
    tokens: dict[str, str] = {}

    def token_for(name: str) -> str:
        if name not in tokens:
            tokens[name] = TOKENS[len(tokens)] if len(tokens) < len(TOKENS) else f"某{len(tokens) + 1}"
        return tokens[name]

    parties = [n.strip() for n in names if n and len(n.strip()) >= 2]
    for name in parties:
        token_for(name)
    joined = "\n".join(texts)
    for match in NAME_AFTER_RELATION.finditer(joined):
        rest = _name_after(joined, match.end(1))
        if rest and "某" not in rest:
            found = match.group(1) + rest
            if not any(found in party or party in found for party in parties):
                token_for(found)
    # Given names alone ("秀兰说…") for party names with a given name of two characters or more.
    given = {name[_surname_length(name) :]: tokens[name] for name in parties if len(name) - _surname_length(name) >= 2}

    def scrub(text: str) -> str:
        for code in sorted(codes, key=len, reverse=True):
            text = text.replace(code, "某案")
        text = CASE_CODE.sub("某案", text)
        text = ID_NUMBER.sub("（身份证号已隐去）", text)
        for found in phonenumbers.PhoneNumberMatcher(text, "CN"):
            text = text.replace(found.raw_string, "（电话已隐去）")
        text = MOBILE.sub("（电话已隐去）", text)
        for name in sorted(tokens, key=len, reverse=True):
            text = text.replace(name, tokens[name])
        for name in sorted(given, key=len, reverse=True):
            text = text.replace(name, given[name])
        for place in sorted((p for p in places if p), key=len, reverse=True):
            text = text.replace(place, "某村")
        for pattern, replacement in ADDRESS:
            text = pattern.sub(replacement, text)
        return text

    return [scrub(text or "") for text in texts]


def anonymise_case(case: Case) -> Anonymised:
    """A closed case as a typical case: its title, description and the lead unit's answer, run
    through anonymise_texts with its parties, its code and the names of its village and grid."""
    answer = (
        Assignment.objects.filter(case=case, role=Assignment.Role.LEAD)
        .exclude(reply="")
        .values_list("reply", flat=True)
        .first()
        or ""
    )
    region = case.region
    places = []
    while region is not None and region.level not in ("town", "county", "city", "province"):
        places.append(region.name)
        region = region.parent
    title, description, answer = anonymise_texts(
        [case.title, case.description, answer],
        names=list(case.parties.values_list("name", flat=True)),
        places=places,
        codes=[case.code],
    )
    return Anonymised(title=title, description=description, answer=answer)
