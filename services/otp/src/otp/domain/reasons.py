"""What each reason code means to a person, in English and Hindi, with the next step.

The portal shows these beside a refusal; departments see them in their reports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReasonText:
    title_en: str
    title_hi: str
    next_step_en: str
    next_step_hi: str


_CERTIFY_EN = "ask your DDO for a certification under HRD's letter of 13 Feb 2026"
_CERTIFY_HI = "अपने डीडीओ से मानव संसाधन विभाग के 13 फरवरी 2026 के पत्र के अनुसार प्रमाण पत्र जारी करवाएं"

REASONS: dict[str, ReasonText] = {
    "no_record": ReasonText(
        "No record of you in HKRNL or e-Billing data",
        "एचकेआरएनएल या ई-बिलिंग डेटा में आपका कोई रिकॉर्ड नहीं है",
        "ask your DDO to have your data shared by HKRNL or Treasuries & Accounts",
        "अपने डीडीओ से अपना डेटा एचकेआरएनएल या खजाना एवं लेखा विभाग द्वारा साझा करवाने को कहें",
    ),
    "not_found": ReasonText(
        "Neither the Family ID nor the mobile number matches our records",
        "न तो परिवार पहचान पत्र और न ही मोबाइल नंबर हमारे रिकॉर्ड से मेल खाता है",
        "check both numbers; if they are right, ask your DDO whether your data was shared",
        "दोनों नंबर जांचें; यदि सही हैं तो अपने डीडीओ से पूछें कि आपका डेटा साझा किया गया है या नहीं",
    ),
    "mobile_missing": ReasonText(
        "Your office's records hold no valid mobile number for you",
        "आपके कार्यालय के रिकॉर्ड में आपका कोई मान्य मोबाइल नंबर नहीं है",
        _CERTIFY_EN + " with your correct mobile number",
        _CERTIFY_HI + " जिसमें आपका सही मोबाइल नंबर हो",
    ),
    "mobile_mismatch": ReasonText(
        "Your mobile number differs from your office's records",
        "आपका मोबाइल नंबर आपके कार्यालय के रिकॉर्ड से भिन्न है",
        _CERTIFY_EN + " with your current mobile number",
        _CERTIFY_HI + " जिसमें आपका वर्तमान मोबाइल नंबर हो",
    ),
    "family_id_missing": ReasonText(
        "Your office's records hold no valid Family ID for you",
        "आपके कार्यालय के रिकॉर्ड में आपका कोई मान्य परिवार पहचान पत्र नहीं है",
        _CERTIFY_EN + " with your correct Family ID",
        _CERTIFY_HI + " जिसमें आपका सही परिवार पहचान पत्र हो",
    ),
    "family_id_mismatch": ReasonText(
        "Your Family ID differs from your office's records",
        "आपका परिवार पहचान पत्र आपके कार्यालय के रिकॉर्ड से भिन्न है",
        _CERTIFY_EN + " with your correct Family ID",
        _CERTIFY_HI + " जिसमें आपका सही परिवार पहचान पत्र हो",
    ),
    "mobile_mismatch_seen": ReasonText(
        "Refused at the portal: the mobile number typed differs from the office's records",
        "पोर्टल पर अस्वीकृत: दर्ज मोबाइल नंबर कार्यालय के रिकॉर्ड से भिन्न है",
        "certify the employee's current mobile number under HRD's letter of 13 Feb 2026",
        "मानव संसाधन विभाग के 13 फरवरी 2026 के पत्र के अनुसार कर्मचारी का वर्तमान मोबाइल नंबर प्रमाणित करें",
    ),
    "family_id_mismatch_seen": ReasonText(
        "Refused at the portal: the Family ID typed differs from the office's records",
        "पोर्टल पर अस्वीकृत: दर्ज परिवार पहचान पत्र कार्यालय के रिकॉर्ड से भिन्न है",
        "certify the employee's correct Family ID under HRD's letter of 13 Feb 2026",
        "मानव संसाधन विभाग के 13 फरवरी 2026 के पत्र के अनुसार कर्मचारी का सही परिवार पहचान पत्र प्रमाणित करें",
    ),
    "non_contractual_head": ReasonText(
        "Your pay was not drawn from the contractual head of account (69 or 01)",
        "आपका वेतन संविदा मद (69 या 01) से नहीं निकाला गया",
        _CERTIFY_EN + " stating the head used and that future pay comes from the contractual head",
        _CERTIFY_HI + " जिसमें प्रयुक्त मद और भविष्य में संविदा मद से भुगतान का वचन हो",
    ),
    "rate_limited": ReasonText(
        "Too many OTP requests",
        "बहुत अधिक ओटीपी अनुरोध",
        "try again after the time shown",
        "दिखाए गए समय के बाद पुनः प्रयास करें",
    ),
    "challenge_locked": ReasonText(
        "Too many wrong codes: OTP requests are locked for a while",
        "बहुत अधिक गलत कोड: ओटीपी अनुरोध कुछ समय के लिए बंद हैं",
        "try again after the time shown",
        "दिखाए गए समय के बाद पुनः प्रयास करें",
    ),
}

# Eligibility codes: explanations only, the DDO/HOD decides.
ELIGIBILITY_TEXT: dict[str, str] = {
    "qualifying_service": "At least 5 qualifying years of service by 15 Aug 2024",
    "short_service": "Fewer than 5 years with 240 paid days each by 15 Aug 2024",
    "service_before_data": (
        "Service before the first month in the e-Billing data must be confirmed by the DDO"
    ),
    "not_in_service_on_appointed_date": "Not in paid service on 15 Aug 2024",
    "remuneration_above_cap": "Directly engaged with pay above Rs 50,000 a month",
    "centrally_sponsored_scheme": "Engaged under a centrally sponsored scheme",
    "part_time": "Engaged part-time",
    "over_age": "Older than 58 on 15 Aug 2024",
    "date_of_birth_missing": "Date of birth missing in the source data",
    "date_of_joining_missing": "Date of joining missing in the source data",
    "service_periods_missing": "No paid service periods in the source data",
    "remuneration_missing": "Monthly remuneration missing in the source data",
    "no_record": "No record of this employee",
}

# The same explanations in Hindi, code for code (a unit test keeps the keys equal).
ELIGIBILITY_TEXT_HI: dict[str, str] = {
    "qualifying_service": "15 अगस्त 2024 तक सेवा के कम से कम 5 योग्य वर्ष",
    "short_service": "15 अगस्त 2024 तक 240 भुगतान दिवसों वाले 5 से कम वर्ष",
    "service_before_data": ("ई-बिलिंग डेटा के पहले माह से पूर्व की सेवा की पुष्टि डीडीओ द्वारा की जानी है"),
    "not_in_service_on_appointed_date": "15 अगस्त 2024 को भुगतान वाली सेवा में नहीं",
    "remuneration_above_cap": "सीधे अनुबंध पर, पारिश्रमिक 50,000 रुपये प्रति माह से अधिक",
    "centrally_sponsored_scheme": "केंद्र प्रायोजित योजना के अंतर्गत नियुक्त",
    "part_time": "अंशकालिक रूप से नियुक्त",
    "over_age": "15 अगस्त 2024 को 58 वर्ष से अधिक आयु",
    "date_of_birth_missing": "स्रोत डेटा में जन्म तिथि नहीं है",
    "date_of_joining_missing": "स्रोत डेटा में कार्यभार ग्रहण की तिथि नहीं है",
    "service_periods_missing": "स्रोत डेटा में भुगतान वाली सेवा अवधि नहीं है",
    "remuneration_missing": "स्रोत डेटा में मासिक पारिश्रमिक नहीं है",
    "no_record": "इस कर्मचारी का कोई रिकॉर्ड नहीं है",
}
