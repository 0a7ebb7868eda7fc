"""Every text a page shows, in English and Hindi; dates as dd-mm-yyyy and numbers with
Indian grouping (1,20,000). Reason texts are not here: they come from the OTP service, so
the console says exactly what the portal says."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

Lang = Literal["en", "hi"]
LANGS: tuple[Lang, ...] = ("en", "hi")

TEXTS: dict[str, tuple[str, str]] = {
    "app": ("Security of Service console", "सेवा सुरक्षा कंसोल"),
    "skip": ("Skip to content", "मुख्य सामग्री पर जाएं"),
    "signed_in_as": ("Signed in as", "लॉग इन:"),
    "sign_in": ("Sign in", "साइन इन करें"),
    "sign_out": ("Sign out", "साइन आउट करें"),
    "signed_out": ("You have signed out.", "आप साइन आउट हो गए हैं।"),
    "language": ("Language", "भाषा"),
    "switch": ("Switch", "बदलें"),
    "nav": ("Main menu", "मुख्य मेनू"),
    "role.ddo": ("DDO", "डीडीओ"),
    "role.hod": ("Head of Department", "विभागाध्यक्ष"),
    "role.administrative_secretary": ("Administrative Secretary", "प्रशासनिक सचिव"),
    "role.hrd": ("HRD", "मानव संसाधन विभाग"),
    "offices": ("Offices", "कार्यालय"),
    "department": ("Department", "विभाग"),
    "blocked": ("Blocked people", "अवरुद्ध व्यक्ति"),
    "blocked.intro": (
        "People of your offices whose OTP cannot be sent, why, and what to do.",
        "आपके कार्यालयों के वे व्यक्ति जिन्हें ओटीपी नहीं भेजा जा सकता, कारण और आगे क्या करें।",
    ),
    "blocked.count": ("{n} people blocked", "{n} व्यक्ति अवरुद्ध"),
    "blocked.none": ("Nobody is blocked for this choice.", "इस चयन में कोई अवरुद्ध नहीं है।"),
    "filter": ("Filter", "छांटें"),
    "filter.reason": ("Reason", "कारण"),
    "filter.office": ("Office", "कार्यालय"),
    "filter.any": ("Any", "सभी"),
    "filter.apply": ("Show", "दिखाएं"),
    "csv": ("Download CSV", "सीएसवी डाउनलोड करें"),
    "col.name": ("Name", "नाम"),
    "col.employee": ("Employee", "कर्मचारी"),
    "col.office": ("Office", "कार्यालय"),
    "col.mobile": ("Mobile", "मोबाइल"),
    "col.family_id": ("Family ID", "परिवार पहचान पत्र"),
    "col.reason": ("Reason", "कारण"),
    "col.next_step": ("What to do", "क्या करें"),
    "col.actions": ("Actions", "कार्य"),
    "col.state": ("State", "स्थिति"),
    "col.submitted": ("Submitted", "प्रस्तुत"),
    "col.covers": ("Lifts", "हटाता है"),
    "col.letter": ("Letter", "पत्र"),
    "col.select": ("Select", "चुनें"),
    "col.office_certified": ("Office that certified", "प्रमाणित करने वाला कार्यालय"),
    "col.office_data": ("Office per the data", "डेटा के अनुसार कार्यालय"),
    "col.mobile_old_new": ("Mobile: in data → new", "मोबाइल: डेटा में → नया"),
    "col.age": ("Waiting", "प्रतीक्षा"),
    "office.differs": ("not the office that certified", "प्रमाणित करने वाला कार्यालय नहीं"),
    "office.moved": ("moved since submission", "प्रस्तुति के बाद स्थानांतरित"),
    "days": ("{n} days", "{n} दिन"),
    "open": ("Open", "खोलें"),
    "certify": ("Certify", "प्रमाणित करें"),
    "person": ("Person", "व्यक्ति"),
    "person.sources": ("What each source holds", "प्रत्येक स्रोत में क्या दर्ज है"),
    "person.decision": ("Decision", "निर्णय"),
    "person.gate_open": ("OTP gate: open", "ओटीपी द्वार: खुला"),
    "person.gate_closed": ("OTP gate: closed", "ओटीपी द्वार: बंद"),
    "person.eligibility": ("Provisional eligibility", "अनंतिम पात्रता"),
    "person.years": ("Qualifying years", "योग्य वर्ष"),
    "person.not_yours": ("Not in your offices", "आपके कार्यालयों में नहीं"),
    "person.certifications": ("Certifications of this person", "इस व्यक्ति के प्रमाण पत्र"),
    "eligibility.eligible": ("Eligible", "पात्र"),
    "eligibility.not_eligible": ("Not eligible", "अपात्र"),
    "eligibility.undetermined": ("Undetermined", "अनिर्धारित"),
    "field.source": ("Source", "स्रोत"),
    "field.part": ("Part", "भाग"),
    "field.ddo": ("DDO", "डीडीओ"),
    "field.post": ("Post", "पद"),
    "field.district": ("District", "ज़िला"),
    "field.joined": ("Date of joining", "कार्यग्रहण तिथि"),
    "field.pay": ("Monthly remuneration (Rs)", "मासिक पारिश्रमिक (रु)"),
    "field.heads": ("Heads of account paid from", "भुगतान के मद"),
    "field.periods": ("Paid service", "भुगतान सहित सेवा"),
    "field.issues": ("Defects in the data", "डेटा में त्रुटियां"),
    "certify.title": ("Certify a person", "व्यक्ति को प्रमाणित करें"),
    "certify.intro": (
        "Under HRD's letter of 13 Feb 2026. Fields are prefilled from the data; check them.",
        "मानव संसाधन विभाग के 13 फरवरी 2026 के पत्र के अंतर्गत। फ़ील्ड डेटा से भरे गए हैं; जांच लें।",
    ),
    "certify.employee": ("Employee and office", "कर्मचारी और कार्यालय"),
    "certify.office_code": ("Office (DDO) code", "कार्यालय (डीडीओ) कोड"),
    "certify.officer_name": ("Your name", "आपका नाम"),
    "certify.covers": ("What the certification lifts", "प्रमाण पत्र क्या हटाता है"),
    "covers.non_contractual_head": (
        "Pay drawn from a non-contractual head",
        "गैर-संविदा मद से वेतन",
    ),
    "covers.mobile_changed": ("Mobile number changed", "मोबाइल नंबर बदला"),
    "covers.family_id_incorrect": ("Family ID incorrect", "परिवार पहचान पत्र गलत"),
    "certify.corrected_mobile": ("Correct mobile number", "सही मोबाइल नंबर"),
    "certify.corrected_family_id": ("Correct Family ID", "सही परिवार पहचान पत्र"),
    "certify.service": ("Service details", "सेवा विवरण"),
    "certify.period_from": ("Service from (dd-mm-yyyy)", "सेवा आरंभ (dd-mm-yyyy)"),
    "certify.period_to": (
        "Service to (dd-mm-yyyy; empty while serving)",
        "सेवा समाप्ति (dd-mm-yyyy; सेवारत हों तो खाली)",
    ),
    "certify.post": ("Post", "पद"),
    "certify.head": ("Head of account used", "प्रयुक्त लेखा मद"),
    "certify.attestations": ("The office certifies that", "कार्यालय प्रमाणित करता है कि"),
    "attest.genuine": (
        "the person is a genuine contractual employee of this office, with complete service "
        "details",
        "व्यक्ति इस कार्यालय का वास्तविक संविदा कर्मचारी है, पूर्ण सेवा विवरण सहित",
    ),
    "attest.mode": (
        "the person was engaged in contractual mode",
        "व्यक्ति की नियुक्ति संविदा पद्धति से हुई थी",
    ),
    "attest.head": (
        "the person was paid under a head other than the contractual one, and will be paid "
        "from the contractual head in future",
        "व्यक्ति को संविदा मद के अलावा किसी अन्य मद से भुगतान हुआ, और भविष्य में संविदा मद से भुगतान होगा",
    ),
    "certify.letter": ("The letter", "पत्र"),
    "certify.letter_number": ("Letter number", "पत्र संख्या"),
    "certify.letter_date": ("Letter date (dd-mm-yyyy)", "पत्र तिथि (dd-mm-yyyy)"),
    "certify.letter_file": ("Signed letter (PDF)", "हस्ताक्षरित पत्र (पीडीएफ)"),
    "certify.submit": ("Submit the certification", "प्रमाण पत्र प्रस्तुत करें"),
    "certify.fix": ("Please correct the fields marked below.", "कृपया नीचे चिह्नित फ़ील्ड ठीक करें।"),
    "err.required": ("This field is required.", "यह फ़ील्ड आवश्यक है।"),
    "err.date": ("Write the date as dd-mm-yyyy.", "तिथि dd-mm-yyyy रूप में लिखें।"),
    "err.mobile": (
        "10 digits starting with 6, 7, 8 or 9.",
        "6, 7, 8 या 9 से आरंभ होने वाले 10 अंक।",
    ),
    "err.family_id": ("8 or 9 letters and digits.", "8 या 9 अक्षर और अंक।"),
    "err.attest": ("Every statement must be certified.", "प्रत्येक कथन प्रमाणित होना चाहिए।"),
    "err.covers": ("Choose at least one.", "कम से कम एक चुनें।"),
    "err.pdf": ("Attach the letter as a PDF file.", "पत्र पीडीएफ फ़ाइल के रूप में संलग्न करें।"),
    "err.period": ("The end is before the start.", "समाप्ति आरंभ से पहले है।"),
    "mine": ("My certifications", "मेरे प्रमाण पत्र"),
    "certifications": ("Certifications", "प्रमाण पत्र"),
    "certifications.none": ("No certifications yet.", "अभी कोई प्रमाण पत्र नहीं।"),
    "certification": ("Certification", "प्रमाण पत्र"),
    "history": ("History", "इतिहास"),
    "history.by": ("by", "द्वारा"),
    "state.submitted": ("Pending HRD advice", "मानव संसाधन विभाग की सलाह लंबित"),
    "state.hrd_advised": ("Advised by HRD", "मानव संसाधन विभाग द्वारा सलाह दी गई"),
    "state.effective": ("Effective", "प्रभावी"),
    "state.rejected": ("Rejected", "अस्वीकृत"),
    "state.revoked": ("Revoked", "निरस्त"),
    "advice": ("HRD advice", "मानव संसाधन विभाग की सलाह"),
    "revoke": ("Revoke", "निरस्त करें"),
    "revoke.reason": ("Reason for revoking", "निरस्त करने का कारण"),
    "reject": ("Reject", "अस्वीकार करें"),
    "reject.reason": ("Reason for rejecting", "अस्वीकार करने का कारण"),
    "err.reason": ("Give a reason of at least 3 characters.", "कम से कम 3 अक्षरों का कारण दें।"),
    "submitted.ok": (
        "Certification submitted; it waits for HRD advice.",
        "प्रमाण पत्र प्रस्तुत हुआ; यह मानव संसाधन विभाग की सलाह की प्रतीक्षा में है।",
    ),
    "queue": ("Waiting for advice", "सलाह हेतु प्रतीक्षारत"),
    "queue.intro": (
        "Certifications submitted by departments, newest first. Select, give one advice number, "
        "and advise and activate them together.",
        "विभागों द्वारा प्रस्तुत प्रमाण पत्र, सबसे नए पहले। चुनें, एक सलाह संख्या दें, और एक साथ सलाह "
        "देकर सक्रिय करें।",
    ),
    "queue.none": ("Nothing waits for advice.", "कुछ भी सलाह हेतु प्रतीक्षारत नहीं है।"),
    "queue.older_than": ("Waiting at least (days)", "कम से कम प्रतीक्षा (दिन)"),
    "queue.covers": ("Lifts", "हटाता है"),
    "queue.next": ("Next page", "अगला पृष्ठ"),
    "queue.first": ("First page", "पहला पृष्ठ"),
    "advice.number": ("Advice number", "सलाह संख्या"),
    "advice.date": ("Advice date (dd-mm-yyyy)", "सलाह तिथि (dd-mm-yyyy)"),
    "advice.go": ("Advise and activate the selected", "चुने हुए पर सलाह दें और सक्रिय करें"),
    "err.select": ("Select at least one certification.", "कम से कम एक प्रमाण पत्र चुनें।"),
    "confirm.title": ("Confirm", "पुष्टि करें"),
    "confirm.text": (
        "Advise and activate {n} certifications under advice {number} of {date}? Each opens "
        "the OTP gate for its person.",
        "सलाह {number} दिनांक {date} के अंतर्गत {n} प्रमाण पत्रों पर सलाह देकर सक्रिय करें? प्रत्येक अपने "
        "व्यक्ति के लिए ओटीपी द्वार खोलता है।",
    ),
    "confirm.yes": ("Yes, advise and activate {n}", "हां, {n} पर सलाह दें और सक्रिय करें"),
    "confirm.no": ("Back to the queue", "सूची पर वापस"),
    "done.title": ("Result", "परिणाम"),
    "done.count": ("{ok} of {n} activated.", "{n} में से {ok} सक्रिय।"),
    "done.ok": ("Activated", "सक्रिय"),
    "done.failed": ("Not done", "नहीं हुआ"),
    "readiness": ("Portal readiness", "पोर्टल तैयारी"),
    "readiness.part": ("Part", "भाग"),
    "readiness.part.I": ("Part-I (HKRNL)", "भाग-I (एचकेआरएनएल)"),
    "readiness.part.II": ("Part-II (direct contract)", "भाग-II (प्रत्यक्ष संविदा)"),
    "readiness.part.none": ("No record", "कोई रिकॉर्ड नहीं"),
    "readiness.total": ("People", "व्यक्ति"),
    "readiness.open": ("OTP gate open", "ओटीपी द्वार खुला"),
    "readiness.blocked": ("Blocked", "अवरुद्ध"),
    "readiness.by_reason": ("Blocked, by reason", "अवरुद्ध, कारण अनुसार"),
    "audit": ("Audit chain", "लेखा-परीक्षा श्रृंखला"),
    "audit.ok": (
        "Verified: all {n} entries are intact and in order.",
        "सत्यापित: सभी {n} प्रविष्टियां अक्षुण्ण और क्रम में हैं।",
    ),
    "audit.broken": (
        "Broken at entry {seq}: {problem}. {n} entries before it are intact.",
        "प्रविष्टि {seq} पर टूटी: {problem}। उससे पहले की {n} प्रविष्टियां अक्षुण्ण हैं।",
    ),
    "refused": ("Not allowed", "अनुमति नहीं"),
    "refused.back": ("Go back", "वापस जाएं"),
    "refused.not_yours": (
        "This employee is not in your offices: the source data places them in another office.",
        "यह कर्मचारी आपके कार्यालयों में नहीं है: स्रोत डेटा इन्हें किसी अन्य कार्यालय में दर्शाता है।",
    ),
    "refused.hrd_only": ("Only HRD may do this.", "यह केवल मानव संसाधन विभाग कर सकता है।"),
    "error.api": ("The service could not do this", "सेवा यह नहीं कर सकी"),
    "csrf": (
        "This form was refused: it did not carry this page's security token. Open the page "
        "again and resend it.",
        "यह फ़ॉर्म अस्वीकार हुआ: इसमें पृष्ठ का सुरक्षा टोकन नहीं था। पृष्ठ फिर से खोलें और भेजें।",
    ),
    "yes": ("Yes", "हां"),
    "no": ("No", "नहीं"),
    "none": ("none", "कोई नहीं"),
    "serving": ("serving", "सेवारत"),
}


def text(key: str, lang: Lang, **values: object) -> str:
    """The text of `key` in `lang`, with `{name}` placeholders filled."""
    en, hi = TEXTS[key]
    chosen = hi if lang == "hi" else en
    return chosen.format(**values) if values else chosen


def indian(number: int | None) -> str:
    """12345678 -> '1,23,45,678' (lakh and crore grouping)."""
    if number is None:
        return "-"
    sign, digits = ("-", str(-number)) if number < 0 else ("", str(number))
    if len(digits) <= 3:
        return sign + digits
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return sign + ",".join([*groups, tail])


def ddmmyyyy(value: date | datetime | str | None) -> str:
    """A date (or ISO text) as dd-mm-yyyy; '-' when missing."""
    if value is None or value == "":
        return "-"
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.strftime("%d-%m-%Y")


def parse_ddmmyyyy(value: str) -> date | None:
    """'20-02-2026' -> date(2026, 2, 20); None when it is not such a date."""
    try:
        return datetime.strptime(value.strip(), "%d-%m-%Y").date()
    except ValueError:
        return None
