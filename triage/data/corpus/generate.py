"""Generate ``generated.jsonl`` from ``scenarios/*.yaml`` and ``slots.yaml``.

Run from the repository root: ``python triage/data/corpus/generate.py``. The seed is fixed,
so the output only changes when the scenarios, slots or this script change.

Each wording is rendered several times with different slot fillers, then roughened the way
people text: lower case or ALL CAPS, punctuation dropped, SMS spellings, typos, a greeting
in front or a plea at the end.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import yaml

HERE = Path(__file__).parent
SEED = 20261126
RENDERINGS = 6
VARIETIES = ("en", "sw", "sheng", "so", "ar")

SMS_SPELLINGS = {
    "en": {
        "you": "u",
        "your": "ur",
        "are": "r",
        "please": "pls",
        "people": "ppl",
        "because": "coz",
        "today": "2day",
        "tonight": "2nite",
        "with": "wit",
        "they": "dey",
        "brother": "bro",
        "police": "polis",
        "and": "n",
        "for": "4",
        "before": "b4",
        "what": "wat",
        "have": "hv",
        "the": "da",
        "yesterday": "yesterdy",
        "now": "nw",
        "thanks": "thnx",
        "money": "mney",
        "arrested": "arested",
        "beating": "beatin",
    },
    "sw": {
        "sasa": "xaxa",
        "sisi": "cc",
        "tafadhali": "tafadhal",
        "polisi": "plisi",
        "hivi": "ivi",
        "wangu": "wang",
        "hata": "ata",
        "kitambulisho": "kitambulsho",
        "sijui": "cjui",
        "asante": "asnte",
        "wamemkamata": "wamemkamta",
        "wanampiga": "wanampga",
        "mwanangu": "mwanang",
        "nyumbani": "nyumban",
    },
    "sheng": {
        "sasa": "xaxa",
        "sai": "xai",
        "msee": "mse",
        "wasee": "wacee",
        "karao": "karau",
        "hivi": "ivi",
        "wangu": "wang",
        "sisi": "cc",
        "hata": "ata",
    },
}
OPENINGS = {
    "en": ["Hello,", "Hi", "Please", "Good evening.", "Sir,", "Salaam.", "Hello sauti", "Help."],
    "sw": ["Habari,", "Salaam aleikum,", "Tafadhali", "Naomba msaada,", "Jambo,", "Hamjambo"],
    "sheng": ["Niaje,", "Sasa,", "Maze,", "Wueh,", "Manze", "Form ni gani,"],
    "so": ["Salaan,", "Fadlan"],
    "ar": ["السلام عليكم"],
}
CLOSINGS = {
    "en": [
        "please help",
        "thank you",
        "pls act",
        "we need help",
        "what can we do?",
        "God bless",
        "asante",
    ],
    "sw": ["tafadhali saidieni", "asante", "tunaomba msaada", "Mungu awabariki", "tufanye nini?"],
    "sheng": ["saidieni", "asante", "tusaidieni maze", "ni hayo tu", "hii si poa"],
    "so": ["mahadsanid"],
    "ar": ["شكرا"],
}


def main() -> None:
    rng = random.Random(SEED)
    slots = yaml.safe_load((HERE / "slots.yaml").read_text(encoding="utf-8"))
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for path in sorted((HERE / "scenarios").glob("*.yaml")):
        for scenario in yaml.safe_load(path.read_text(encoding="utf-8")):
            for variety in VARIETIES:
                for number, template in enumerate(scenario.get(variety) or []):
                    for _ in range(RENDERINGS):
                        text = roughen(render(template, slots[variety], rng), variety, rng)
                        if text.casefold() in seen:
                            continue
                        seen.add(text.casefold())
                        rows.append(
                            {
                                "text": text,
                                "category": scenario["category"],
                                "urgency": scenario["urgency"],
                                "language": variety,
                                "group": f"{scenario['id']}/{variety}{number}",
                            }
                        )
    output = HERE / "generated.jsonl"
    with output.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} examples to {output}")


def render(template: str, fillers: dict[str, list[str]], rng: random.Random) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: str(rng.choice(fillers[match.group(1)])), template)


def roughen(text: str, variety: str, rng: random.Random) -> str:
    if variety in SMS_SPELLINGS and rng.random() < 0.35:
        text = sms_spell(text, SMS_SPELLINGS[variety], rng)
    if rng.random() < 0.25:
        text = typo(text, rng)
    if rng.random() < 0.2:
        text = f"{rng.choice(OPENINGS[variety])} {text}"
    if rng.random() < 0.2:
        text = f"{text.rstrip('.')} {rng.choice(CLOSINGS[variety])}"
    return case_style(text, rng)


def sms_spell(text: str, spellings: dict[str, str], rng: random.Random) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        short = spellings.get(word.lower())
        return short if short and rng.random() < 0.6 else word

    return re.sub(r"[A-Za-z]+", swap, text)


def typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    long_words = [i for i, word in enumerate(words) if len(word) >= 5 and word.isalpha()]
    if not long_words:
        return text
    index = rng.choice(long_words)
    word = words[index]
    position = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        word = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    elif kind == "drop":
        word = word[:position] + word[position + 1 :]
    else:
        word = word[:position] + word[position] + word[position:]
    words[index] = word
    return " ".join(words)


def case_style(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return text[:1].upper() + text[1:]
    if roll < 0.6:
        return text.lower()
    if roll < 0.72:
        return text.upper()
    if roll < 0.92:
        return re.sub(r"[^\w\s]", "", text.lower())
    return text


if __name__ == "__main__":
    main()
