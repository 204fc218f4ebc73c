"""The words of a status asked in everyday English, Kiswahili, Sheng and Somali, with a reference
("Any update on K7F-3QX?", "Niaje, ripoti yangu K7F-3QX imefika wapi?") or without one ("mko
wapi na kesi yangu", "nimesahau namba ya ripoti"), for channels.keywords to read. None of them
names a harm, or anyone it was done to: a message with any other word in it is kept."""

from __future__ import annotations

from channels.references import COURTESY, LEAD_IN_WORDS

SAUTI = {"SAUTI"}
# Words that ask for news of a report, and the language of each.
NEWS = {
    **dict.fromkeys(("STATUS", "UPDATE", "UPDATES", "UPDATED", "NEWS", "CHECK", "PROGRESS"), "en"),
    **dict.fromkeys(("FEEDBACK", "RESPONSE"), "en"),
    **dict.fromkeys(("HALI", "HABARI", "TAARIFA", "MAENDELEO", "JIBU", "MAJIBU", "IMEFIKA"), "sw"),
    **dict.fromkeys(("IMEFIKIA", "MMEFIKA", "MMEFIKIA", "INAENDAJE", "INAENDELEAJE", "IMEENDAJE"), "sw"),
    **dict.fromkeys(("ANSWER", "REPLY"), "en"),
    "IKOAJE": "sw",
    **dict.fromkeys(("XAALAD", "CUSUB"), "so"),
}
# Words that ask, or say the reporter has lost their reference, and the language of each.
ASKING = {
    **NEWS,
    **dict.fromkeys(("WHAT", "WHATS", "HOW", "HOWS", "WHERE", "WHEN", "WHICH", "KNOW", "ASK"), "en"),
    **dict.fromkeys(("ASKING", "HAPPENED", "HAPPENING", "FOLLOWING", "REMEMBER", "REMIND", "RESEND"), "en"),
    **dict.fromkeys(("FORGOT", "FORGOTTEN", "FORGET", "LOST"), "en"),
    **dict.fromkeys(("KUJUA", "WAPI", "JE", "VIPI", "NIAJE", "AJE", "LINI", "KUULIZA", "NAULIZA"), "sw"),
    **dict.fromkeys(("KUFUATILIA", "NAFUATILIA", "NIJULISHE", "MNASEMAJE", "MMEFANYA", "MMEPOKEA"), "sw"),
    **dict.fromkeys(("NIMESAHAU", "NILISAHAU", "NIMEPOTEZA", "NILIPOTEZA", "SIKUMBUKI"), "sw"),
    **dict.fromkeys(("ANGALIA", "CHEKI", "FUATILIA"), "sw"),
    **dict.fromkeys(("XAALAD", "MAXAA", "MAXAY", "SIDEE", "XAGGEE", "DHACAY", "JIRAA", "WAR", "HUBI"), "so"),
}
# Somali words that ask it in any of their forms: "xaaladda", "warbixintayda".
ASKING_STEMS = {"XAALAD": "so", "WARBIXIN": "so"}
# Somali news asked in any of its forms: "xaalada warbixinta" (the report's status).
NEWS_STEMS = ("XAALAD",)
# The Somali report in any of its forms, and the endings that make it the reporter's own:
# "warbixintayda", "warbixintaydii" (my report).
REPORT_STEMS = ("WARBIXIN",)
THEIR_OWN_ENDINGS = ("AYDA", "AYDII", "EYDA", "AYGA", "AYGII")
# Words that name the reporter's report or its reference: "my case", "namba ya ripoti", "ref?".
THE_REPORT = {
    *("REPORT", "REPORTS", "CASE", "CASES", "COMPLAINT", "COMPLAINTS", "ISSUE", "REF", "REFERENCE"),
    *("CODE", "NUMBER", "RIPOTI", "KESI", "MALALAMIKO", "LALAMIKO", "NAMBA", "NAMBARI", "KUMBUKUMBU"),
}
# Words that make a report the reporter's own: "my case", "kesi yangu".
THEIR_OWN = {"MY", "MINE", "OUR", "YANGU", "YETU", "LANGU", "LETU", "ZANGU", "ZETU"}
# Words that forget a reference: the question is about the reporter's own report.
FORGETTING = {
    *("FORGOT", "FORGOTTEN", "FORGET", "LOST"),
    *("NIMESAHAU", "NILISAHAU", "NIMEPOTEZA", "NILIPOTEZA", "SIKUMBUKI"),
}
# Words said with a status question that ask nothing more.
QUESTION_SAID = {
    *("ARE", "A", "AN", "ANY", "THERE", "HAS", "HAVE", "BEEN", "CAN", "COULD", "I", "ME", "GET"),
    *("GIVE", "TELL", "WANT", "TO", "WOULD", "LIKE", "WITH", "HI", "HELLO", "HEY", "DEAR", "SIR"),
    *("KINDLY", "NEW", "OK", "SAWA", "NATAKA", "NINGEPENDA", "NAOMBA", "WAS", "DID", "WILL", "BE"),
    *("ANYTHING", "AGAIN", "SEND", "PANEL", "SAY", "UP", "GOING", "YET", "STILL", "BOSS", "ANYONE"),
    *("RECEIVE", "RECEIVED", "HANDLED", "RESOLVED", "SOLVED", "ATTENDED", "HEARD", "LOOKED", "INTO"),
    *("KUPATA", "GANI", "NINI", "HII", "YAKE", "IKO", "IPO", "MAMBO", "HUJAMBO", "ZA", "KUNA", "NA"),
    *("MKO", "MUKO", "YOYOTE", "ILE", "NI", "TENA", "NITUMIE", "KAMATI", "BADO", "JAMBO", "SALAMU"),
    *("IMEENDA", "IMESHUGHULIKIWA", "IMEPOKELEWA", "HAKUNA"),
    *("MSEE", "BRO", "MAZE", "WAA", "KA", "IYO", "SOO", "MA", "SALAAN", "ASC", "TAHAY"),
    *THE_REPORT,
    *THEIR_OWN,
}
AROUND_A_QUESTION = LEAD_IN_WORDS | COURTESY | SAUTI | QUESTION_SAID
# Greetings, which ask for news only with more words: "Habari", "Hali gani" greet, "Kuna habari?"
# asks.
GREETINGS = {
    *("HABARI", "HALI", "GANI", "NIAJE", "MAMBO", "VIPI", "SASA", "JAMBO", "HUJAMBO", "SALAMU", "SALAAN"),
    *("HI", "HELLO", "HEY", "MSEE", "BRO", "MAZE", "SIR", "DEAR", "BOSS"),
}
# The longest message read as a status question: a longer one says more, and is kept.
STATUS_QUESTION_WORDS = 12
