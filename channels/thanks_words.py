"""The words of thanks or assent said after an answer, and nothing more ("asante sana", "ok
thanks", "God bless you"), in English, Kiswahili, Sheng and Somali, for channels.keywords to
read. None of them tells of anything done to anyone."""

from __future__ import annotations

# Words of thanks, and the language each is in.
GRATITUDE = {
    **dict.fromkeys(("THANKS", "THANK", "THANKYOU", "THX", "THNX", "THANX", "TNX", "TNKS"), "en"),
    **dict.fromkeys(("TENKS", "TENX", "TQ", "APPRECIATED", "APPRECIATE", "GRATEFUL", "BLESS"), "en"),
    **dict.fromkeys(("ASANTE", "ASANTENI", "SANTE", "SHUKRAN", "SHUKRANI", "NASHUKURU"), "sw"),
    **dict.fromkeys(("TUNASHUKURU", "BARIKIWA", "UBARIKIWE", "MUBARIKIWE", "AKUBARIKI"), "sw"),
    **dict.fromkeys(("MAHADSANID", "MAHADSANIDIN", "MAHADSANTAHAY", "MAHADSANTIHIIN"), "so"),
}
# Words that say "understood" and nothing more; OK and its spellings name no language.
ASSENT = {
    **dict.fromkeys(("OK", "OKAY", "OKEY", "OKK", "OKAYY", "K", "NOTED", "RECEIVED"), None),
    **dict.fromkeys(("UNDERSTOOD", "NIMEELEWA", "TUMEELEWA", "NIMEPATA", "TUMEPATA"), None),
    **dict.fromkeys(("FINE", "GOOD", "GREAT", "COOL", "NICE", "ALRIGHT", "WELL", "DONE"), "en"),
    **dict.fromkeys(("SAWA", "POA", "FITI", "SAFI", "AMINA", "NZURI", "KABISA"), "sw"),
    **dict.fromkeys(("HAYE", "WAAYAHAY"), "so"),
}
# What is said around thanks and changes nothing: "thank you so much", "asante sana kwa msaada
# wenu", "God bless you", "5 stars". The help thanked for counts only beside a word of thanks:
# "ok help" may be a plea.
THANKS_SAID = {
    *("YOU", "SO", "MUCH", "VERY", "A", "LOT", "ALOT", "FOR", "THE", "YOUR", "AND", "GOD"),
    *("SIR", "MADAM", "BOSS", "DEAR", "ALL", "TEAM", "MY", "FRIEND", "INDEED", "JOB", "WORK", "I"),
    *("WE", "ARE", "IT", "IS", "STARS", "STAR", "BRO", "MSEE", "MAZE", "SANA", "NYINGI", "KWA"),
    *("MUNGU", "WOTE", "YENU", "WENU", "KAZI", "JIBU", "ANSWER", "REPLY", "RESPONSE", "SAUTI"),
    *("MAHADSANID", "ALLAH", "HA", "KUU", "BARAKEEYO", "NYOTA", "XIDDIG", "XIDDIGOOD"),
}
THE_HELP = {"HELP", "MSAADA", "SUPPORT"}
# The longest message read as thanks alone: a longer one says more, and is kept.
THANKS_WORDS = 10
