#!/usr/bin/env python3
"""Generates the sample knowledge corpus and the labelled questions shipped in ragmail-testkit.

    python3 benchmarks/scripts/generate_knowledge_corpus.py

writes (deterministically, seed 20261129)
    ragmail-testkit/src/main/resources/io/ragmail/testkit/knowledge/corpus.jsonl
    ragmail-testkit/src/main/resources/io/ragmail/testkit/knowledge/questions.jsonl

The corpus is the knowledge base of a fictional chemical distributor: one product page per article
(code such as ACE-500), a safety data sheet summary per substance and hand-written FAQ pages
(faqs.py). Product and substance data come from chemicals.py. Questions are written in customers'
words and label the source ids that answer them; categories: code, cas, un, synonym, typo,
paraphrase, order, faq, vague.
"""
import json
import os
import random

from chemicals import CHEMICALS, GRADE_OVERRIDES, H_TEXT, LIQUID_PACKS, SOLID_PACKS
from faqs import FAQS

SEED = 20261129
ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "ragmail-testkit", "src", "main", "resources", "io", "ragmail", "testkit", "knowledge")
BASE_URL = "https://shop.northmoor-chemicals.example"

PACK_FACTOR = {1: 3.5, 2.5: 3.0, 5: 1.6, 10: 1.4, 25: 1.15, 200: 1.0, 1000: 0.85}

rnd = random.Random(SEED)


def pick(options):
    return rnd.choice(options)


def date():
    return "2026-%02d-%02d" % (rnd.randint(1, 10), rnd.randint(1, 28))


def product_code(c, n):
    return "%s-%d" % (c["prefix"], n)


def pack_of(c, n):
    grade, pack, size, unit, per_pallet = (SOLID_PACKS if c["form"] == "solid" else LIQUID_PACKS)[n]
    grade = GRADE_OVERRIDES.get(c["key"], grade)
    return grade, pack, size, unit, per_pallet


def price_of(c, n):
    grade, pack, size, unit, _ = pack_of(c, n)
    factor = PACK_FACTOR[size]
    if "reagent" in grade or "analytical" in grade:
        factor *= 1.5
    return round(c["price"] * size * factor + (4.0 if size <= 5 else 0), 2)


def hazard_line(c):
    if not c["h"]:
        return "It is not classified as hazardous under CLP."
    parts = ["%s (%s)" % (h, H_TEXT[h].lower()) for h in c["h"]]
    signal = "Danger" if any(h in c["h"] for h in ["H225", "H301", "H311", "H331", "H314", "H318", "H304", "H370", "H372", "H271", "H351"]) else "Warning"
    return "Signal word %s. Hazard statements: %s." % (signal, "; ".join(parts))


def transport_line(c):
    if not c["un"]:
        return pick(["Not dangerous goods for road, sea or air transport.",
                     "Not regulated as dangerous goods (ADR/IMDG/IATA), so it ships as a normal parcel or pallet."])
    return pick(["Transport: %s, ADR class %s, packing group %s." % (c["un"], c["adr"], c["pg"]),
                 "Dangerous goods: %s, class %s, packing group %s; ships by road under ADR." % (c["un"], c["adr"], c["pg"])])


def product_doc(c, n):
    code = product_code(c, n)
    grade, pack, size, unit, per_pallet = pack_of(c, n)
    price = price_of(c, n)
    name = c["name"]
    syn = ", ".join(c["syn"][:3])
    intro = pick([
        "%s (%s) %s, supplied in a %s. Typical uses are %s." % (name, syn, grade, pack, c["uses"]),
        "Our %s %s is delivered in a %s. Also known as %s. Customers use it for %s." % (grade, name.lower() if name[0].isupper() and not name[1].isupper() else name, pack, syn, c["uses"]),
        "%s in %s quality, packed in a %s. Other names: %s. Applications include %s." % (name, grade, pack, syn, c["uses"]),
    ])
    spec = [
        "CAS number %s, formula %s." % (c["cas"], c["formula"]),
        "Density %s at 20 °C%s." % (c["density"], ", boiling point " + c["bp"] if c["form"] == "liquid" else ""),
    ]
    if c["fp"]:
        spec.append(pick(["Flash point %s (closed cup)." % c["fp"], "Flash point: %s." % c["fp"]]))
    elif c["form"] == "liquid":
        spec.append("Not flammable.")
    if "reagent" in grade or "analytical" in grade or "HPLC" in grade:
        spec.append(pick(["Assay at least 99.8%, water below 0.05%, residue on evaporation below 10 ppm.",
                          "Meets ACS reagent specifications; every batch is supplied with a certificate of analysis."]))
    pack_text = pick([
        "Packaging: %s, %d per pallet. Net content %s %s." % (pack, per_pallet, ("%g" % size), unit),
        "One %s holds %s %s; a full pallet is %d units." % (pack, ("%g" % size), unit, per_pallet),
    ])
    if size >= 200:
        pack_text += pick([" The container is returnable against a deposit.", " Deposit charged on the container, refunded on return."])
    price_text = pick([
        "List price EUR %.2f per %s excluding VAT; pallet price on request." % (price, pack.split(" ", 2)[-1] if size < 1000 else "IBC"),
        "Price: EUR %.2f net per unit, volume prices from a full pallet." % price,
        "EUR %.2f per unit (ex VAT, ex works Rotterdam)." % price,
    ])
    stock = pick([
        "In stock in Rotterdam; ships within 1-2 working days.",
        "Usually in stock; dispatched the next working day.",
        "Stock item. Orders before 14:00 leave the warehouse the same day.",
        "Limited stock; lead time up to one week when sold out.",
    ])
    hz = hazard_line(c) + (" See the safety data sheet for first aid and handling." if c["h"] else "")
    paras = [intro, " ".join(spec), pack_text + " " + price_text + " " + stock, transport_line(c) + " " + hz,
             "Storage: " + c["storage"]]
    if n == 1000:
        paras.append(pick(["IBC deliveries need a forklift on site and are booked by appointment.",
                           "Bulk IBC: delivered on a pallet base with a 2-inch outlet valve; forklift required for unloading."]))
    if n == 700:
        paras.append("Ready-to-use 70% isopropanol for disinfection of surfaces and equipment; no dilution needed.")
    title = "%s - %s, %s (%s)" % (name, grade, pack, code)
    return dict(sourceId="product:" + code, title=title, text="\n\n".join(paras),
                metadata={"type": "product", "language": "en", "url": "%s/products/%s" % (BASE_URL, code.lower()),
                          "updated-at": date(), "product-code": code})


FIRST_AID = {
    "skin_corr": "Skin: remove contaminated clothing at once and rinse the skin with plenty of water for at least 15 minutes; call a doctor. Eyes: rinse immediately with water for at least 15 minutes, holding the eyelids open, and get medical help at once.",
    "irrit": "Eyes: rinse cautiously with water for several minutes; remove contact lenses if easy. Skin: wash with soap and water. If irritation persists, consult a doctor.",
    "toxic": "Inhalation: move to fresh air and call a poison centre or doctor immediately. Skin: wash off at once with plenty of water. Swallowing: rinse mouth, call a doctor immediately; medical observation is needed as effects can be delayed.",
    "none": "No special measures required. Rinse eyes with water and wash skin with soap and water if contact occurs; seek advice if discomfort persists.",
}


def sds_doc(c):
    h = c["h"]
    corrosive = "H314" in h or "H318" in h
    toxic = any(x in h for x in ["H301", "H311", "H331", "H370"])
    if toxic:
        aid = FIRST_AID["toxic"]
    elif corrosive:
        aid = FIRST_AID["skin_corr"]
    elif h:
        aid = FIRST_AID["irrit"]
    else:
        aid = FIRST_AID["none"]
    if "H336" in h:
        aid += " Vapours may cause drowsiness: take the person into fresh air and keep at rest."
    if "H304" in h:
        aid += " If swallowed, do not induce vomiting (aspiration hazard)."
    flammable = "H225" in h or "H226" in h
    if flammable:
        fire = "Extinguishing media: alcohol-resistant foam, carbon dioxide, dry powder; cool containers with water spray. Vapours are heavier than air and may travel to distant ignition sources and flash back."
    elif "H272" in h or "H271" in h:
        fire = "Not combustible itself but an oxidiser: it intensifies fire in contact with combustible material. Use plenty of water; do not use dry powder or foam on large amounts."
    else:
        fire = "The product does not burn. Use extinguishing media suitable for the surrounding fire." + (" Heating may release corrosive vapours." if corrosive else "")
    sections = [
        "Section 1 - Identification: %s, CAS %s, supplied by Northmoor Chemicals B.V., Rotterdam. Emergency telephone +31 10 555 0199 (24 h). Also known as %s." % (c["name"], c["cas"], ", ".join(c["syn"])),
        "Section 2 - Hazards: " + hazard_line(c),
        "Section 4 - First aid: " + aid,
        "Section 5 - Fire fighting: " + fire,
        "Section 6 - Accidental release: " + (
            "Remove ignition sources, ventilate, absorb with inert material such as sand or vermiculite and collect in closed containers for disposal. Prevent entry into drains." if flammable else
            "Neutralise small spills carefully and absorb with inert binder; rinse the area with water. Wear protective clothing. Prevent entry into drains and surface water." if corrosive else
            "Absorb with inert material and collect for disposal; do not let larger quantities enter drains."),
        "Section 7 - Handling and storage: " + c["storage"],
        "Section 8 - Exposure controls: " + (
            "Work with local exhaust ventilation; wear chemical goggles, nitrile or butyl rubber gloves and antistatic footwear. Observe national occupational exposure limits." if flammable else
            "Wear a face shield or tight goggles, acid- and alkali-resistant gloves (butyl or neoprene) and protective clothing; eye wash station required." if corrosive else
            "Wear safety glasses and gloves; good general ventilation is sufficient."),
        "Section 9 - Properties: %s; density %s%s%s." % (c["form"], c["density"],
                                                          "; boiling point " + c["bp"] if c["form"] == "liquid" else "",
                                                          "; flash point " + c["fp"] if c["fp"] else ("; not flammable" if c["form"] == "liquid" else "")),
        "Section 10 - Stability and reactivity: " + pick([
            "Stable under recommended storage conditions. Avoid heat, sparks and strong oxidisers." if flammable else
            "Reacts violently with incompatible substances; avoid contact with metals where hydrogen can be released." if corrosive else
            "Stable under normal conditions. No hazardous reactions known."]),
        "Section 14 - Transport: " + ("%s, ADR/IMDG class %s, packing group %s." % (c["un"], c["adr"], c["pg"]) if c["un"] else "Not dangerous goods in the sense of ADR, IMDG or IATA."),
    ]
    if c["extra"]:
        sections.append(c["extra"])
    return dict(sourceId="sds:" + c["key"], title="Safety data sheet summary: %s (CAS %s)" % (c["name"], c["cas"]),
                text="\n\n".join(sections),
                metadata={"type": "sds", "language": "en", "url": "%s/sds/%s-en.pdf" % (BASE_URL, c["key"]), "updated-at": date()})


COMPAT = {
    "solvent": "Suitable container and seal materials are stainless steel, carbon steel, glass, PTFE and, for short contact, HDPE. It attacks polystyrene, ABS, PVC, acrylic glass and many rubbers and paints, so test plastic parts first.",
    "acid": "Use containers and pipework of HDPE, PP, PVDF or PTFE. It attacks carbon steel, galvanised steel, aluminium and copper, releasing hydrogen; stainless steel is only suitable where the supplier confirms the grade.",
    "alkali": "Use HDPE, PP or stainless steel. It attacks aluminium, zinc, tin and galvanised steel (hydrogen is formed) and damages glass and skin-tight leather; never use aluminium buckets.",
    "oxidiser": "Use only clean HDPE, PTFE or passivated stainless steel. Contact with rust, copper, organic matter, wood or paper can start a decomposition or a fire.",
    "mild": "It is compatible with stainless steel, HDPE, PP and glass. Standard seals such as EPDM or FKM are suitable.",
}


def family(c):
    if c["un"] and c["adr"] and c["adr"].startswith("3"):
        return "solvent"
    if c["adr"] and c["adr"].startswith("5.1"):
        return "oxidiser"
    if c["adr"] and c["adr"].startswith("8"):
        return "alkali" if c["key"] in ("sodium-hydroxide", "sodium-hydroxide-solution", "potassium-hydroxide", "ammonia-solution") else "acid"
    if c["key"] == "dichloromethane":
        return "solvent"
    return "mild"


def substance_faq_doc(c):
    name = c["name"]
    lines = []
    for n in c["codes"]:
        grade, pack, size, unit, _ = pack_of(c, n)
        lines.append("%s is the %s in a %s" % (product_code(c, n), grade, pack))
    choose = pick(["Which %s article should I order? " % name, "Choosing between our %s products: " % name]) + "; ".join(lines) + ". " + pick([
        "Laboratory and analytical grades come with a detailed certificate of analysis; technical grades are meant for industrial cleaning, production and formulation.",
        "Pick the reagent or analytical grades for laboratory work and the technical grades for production and cleaning; the chemical is the same, purity and packaging differ.",
    ])
    materials = "Which materials can I use with it? " + COMPAT[family(c)]
    other = "Is it the same as %s? Yes: %s, %s and %s are names for the same substance (CAS %s)." % (
        c["syn"][0], name.split(" (")[0], c["syn"][0], c["syn"][-1], c["cas"])
    uses = "What is it used for? Our customers use it for %s." % c["uses"]
    dil = {"acid": "How do I dilute it? Always add the acid slowly to the water while stirring, never water to acid, and wear a face shield: the mixing releases heat.",
           "alkali": "How do I dilute it? Add it slowly to cold water while stirring; the solution gets hot. Wear a face shield and alkali-resistant gloves.",
           "solvent": "Can I mix it with water? Check the data sheet: several solvents separate from water, and diluted mixtures can still be flammable.",
           "oxidiser": "How do I dilute it? Dilute only with clean demineralised water in clean containers; contamination can make it decompose.",
           "mild": "Does it expire? Stored closed as described on the product page it keeps its specification for at least 24 months."}[family(c)]
    text = "\n\n".join([choose, other, uses, materials, dil])
    return dict(sourceId="faq:substance-" + c["key"], title="%s: frequently asked questions" % name, text=text,
                metadata={"type": "faq", "language": "en", "url": "%s/help/substances/%s" % (BASE_URL, c["key"]), "updated-at": date()})


def faq_doc(slug, title, text):
    return dict(sourceId="faq:" + slug, title=title, text=text,
                metadata={"type": "faq", "language": "en", "url": "%s/help/%s" % (BASE_URL, slug), "updated-at": date()})


GREETINGS = ["", "", "Hi, ", "Hello, ", "Good morning, ", "Dear team, ", "Hey - "]
CLOSINGS = ["", "", "", " Thanks!", " Thanks in advance.", " Kind regards", " Cheers"]


def polite(text):
    greeting = pick(GREETINGS)
    if greeting and not text[:3].isupper() and not text.startswith(("I ", "I'")):
        text = text[0].lower() + text[1:]
    return (greeting + text + pick(CLOSINGS)).strip()


GRADE_WORDS = [" USP", " HPLC gradient grade", " stabilised with BHT", " food grade", " anhydrous", " dense",
               " flakes", " pellets", " glacial", " absolute"]


def short_name(c):
    name = c["name"].split(" (")[0]
    for word in GRADE_WORDS:
        name = name.replace(word, "")
    for cut in [" 99.5%", " 96%", " 32%", " 65%", " 85%", " 50%", " 35%", " 25%", " 12.5%", " 99%", " 90%", " 77%", " 95%", " 99.9%"]:
        name = name.split(cut)[0]
    return name


def sizes_words(n, c):
    _, pack, size, unit, _ = pack_of(c, n)
    words = {1: ["a 1 litre bottle", "one litre", "a litre bottle"] if unit == "L" else ["a 1 kg tub", "one kilo"],
             2.5: ["a 2.5 L glass bottle", "2.5 litres"],
             5: ["a 5 litre can", "5L", "five litres"],
             10: ["a 10 litre container", "10 litres"],
             25: ["a 25 litre can", "25L jerrycan", "25 litres"] if unit == "L" else ["a 25 kg sack", "25kg bag", "a bag of 25 kilos"],
             200: ["a 200 litre drum", "a 200L barrel", "one drum"],
             1000: ["an IBC", "a 1000 litre tote", "a 1 m3 container"] if unit == "L" else ["a big bag", "a tonne bag"]}
    return pick(words[size])


def product_questions(c):
    """Questions about one substance; each returns (text, expected ids, category)."""
    codes = c["codes"]
    prods = ["product:" + product_code(c, n) for n in codes] + ["faq:substance-" + c["key"]]
    sds = "sds:" + c["key"]
    n = pick(codes)
    code = product_code(c, n)
    nm = short_name(c).lower() if not short_name(c)[:2].isupper() else short_name(c)
    syn = pick(c["syn"])
    typo = pick(c["typos"])
    qs = []
    qs.append((pick([
        "Do you have %s in stock? We need 3 units by Friday." % code,
        "What is the current price of %s?" % code,
        "Please quote 10 x %s delivered to Antwerp." % code,
        "Is %s available right now and what's the lead time?" % code,
        "How many %s fit on one pallet?" % code,
        "can you tell me the pack size of article %s" % code,
    ]), ["product:" + code], "code"))
    if c["cas"]:
        # several articles can share a CAS number (pellets and solution, 96% and 37% acid)
        twins = [t for t in CHEMICALS if t["cas"] == c["cas"]]
        cas_sds = ["sds:" + t["key"] for t in twins if t["key"] != "battery-acid"]
        cas_prods = ["product:" + product_code(t, m) for t in twins for m in t["codes"]] + [
            "faq:substance-" + t["key"] for t in twins if t["key"] != "battery-acid"]
        qs.append((pick([
            ("What hazard warnings apply to CAS %s?" % c["cas"], cas_sds, "cas"),
            ("We need the safety info for %s for our risk assessment." % c["cas"], cas_sds, "cas"),
            ("Do you supply CAS %s, and in which sizes?" % c["cas"], cas_prods, "cas"),
            ("Looking for a supplier of %s, can you make an offer?" % c["cas"], cas_prods, "cas"),
        ])))
    if c["un"]:
        # several substances can share a UN number (ethanol 96% and absolute)
        un_twins = [t for t in CHEMICALS if t["un"] == c["un"]]
        un_ids = ["product:" + product_code(t, m) for t in un_twins for m in t["codes"]] + [
            p + t["key"] for t in un_twins if t["key"] != "battery-acid" for p in ("sds:", "faq:substance-")]
        qs.append((pick([
            ("Our haulier asks which packing group %s is in for the stuff we are collecting." % c["un"], un_ids, "un"),
            ("Which product of yours ships under %s?" % c["un"], un_ids, "un"),
        ])))
    if c["fp"] or c["h"]:
        qs.append((pick([
            ("How flammable is your %s?" % syn if "H225" in c["h"] or "H226" in c["h"] else "Is %s dangerous to handle?" % syn, [sds], "synonym"),
            ("What should we do if %s gets on someone's skin?" % typo, [sds], "typo"),
            ("Can I keep %s in the normal store room or does it need something special?" % nm, [sds] + prods, "paraphrase"),
            ("Is %s harmful if you breathe it in?" % typo, [sds], "typo"),
            ("What gloves and goggles do my guys need when working with %s?" % syn, [sds], "synonym"),
            ("What happens if you get %s in your eyes?" % nm, [sds], "paraphrase"),
        ])))
    else:
        qs.append(pick([("Is %s hazardous at all?" % syn, [sds], "synonym"),
                        ("Is %s hazardous at all?" % typo, [sds], "typo")]))
    n2 = pick(codes)
    qs.append((pick([
        ("How much for %s of %s?" % (sizes_words(n2, c), syn), ["product:" + product_code(c, n2)], "synonym"),
        ("I'd like %s of %s, what does that cost?" % (sizes_words(n2, c), typo), ["product:" + product_code(c, n2)], "typo"),
        ("Price for %s of %s please" % (sizes_words(n2, c), nm), ["product:" + product_code(c, n2)], "paraphrase"),
    ])))
    qs.append((pick([
        ("Do you sell %s?" % typo, prods + [sds], "typo"),
        ("We buy %s from another supplier at the moment - could you send your range and prices?" % syn, prods, "synonym"),
    ])))
    return [(polite(t), ids, cat) for t, ids, cat in qs]


# needs described in customers' words, without the substance's name: (question, substance keys)
VAGUE = [
    ("The truck says the exhaust fluid tank is nearly empty, do you sell that blue liquid for diesel engines?", ["adblue"]),
    ("What's good for getting sticky label residue off glass jars without harsh smells?", ["limonene"]),
    ("Our swimming pool pH is way too high, what do we add to bring it down?", ["hydrochloric-acid", "sulfuric-acid"]),
    ("The pool water pH keeps dropping below 7, what can we dose to raise it?", ["sodium-carbonate", "sodium-bicarbonate"]),
    ("We top up forklift batteries every week. Which water should we use for that?", ["demineralised-water"]),
    ("Looking for a food-safe antifreeze for the glycol loop of our brewery's fermenters", ["propylene-glycol"]),
    ("What do you have to get limescale out of coffee machines? It should be safe for food contact.", ["citric-acid"]),
    ("I make cold process soap. Which of your products do I need for the lye?", ["sodium-hydroxide", "potassium-hydroxide"]),
    ("We need a solvent for the mobile phase of our liquid chromatography system", ["acetonitrile"]),
    ("Something to thin oil-based paint and clean the brushes afterwards?", ["white-spirit"]),
    ("The car park at our plant ices over in winter, what can we spread that works below minus 10?", ["calcium-chloride"]),
    ("What can we use to clean flux off circuit boards after soldering?", ["isopropanol"]),
    ("Our bakery needs a raising agent in 25 kilo sacks", ["sodium-bicarbonate"]),
    ("We need to treat welded stainless steel so it doesn't rust, what chemical does that?", ["nitric-acid"]),
    ("Which alcohol can we use to produce hand sanitiser?", ["ethanol", "isopropanol", "propanol"]),
    ("Need something to keep the cooling circuit of our trucks from freezing", ["ethylene-glycol", "propylene-glycol"]),
]


def main():
    docs = []
    for c in CHEMICALS:
        for n in c["codes"]:
            docs.append(product_doc(c, n))
        if c["key"] != "battery-acid":
            docs.append(sds_doc(c))
            docs.append(substance_faq_doc(c))
    titles = [t for _, t, _, _ in FAQS]
    for i, (slug, title, text, _) in enumerate(FAQS):
        related = [titles[(i + k) % len(titles)] for k in (1, 5, 11)]
        footer = pick([
            "These terms apply to all orders placed with Northmoor Chemicals B.V., whether in the web shop, by e-mail, by phone or through EDI, unless your framework contract says otherwise.",
            "This help page is part of our general terms of sale and delivery; where a signed framework contract or quotation deviates from it, the contract takes precedence.",
            "The rules on this page are maintained by our customer service team and apply to business customers in all countries we deliver to, unless agreed otherwise in writing.",
        ])
        text = text + "\n\n" + footer + "\n\nRelated topics: " + "; ".join(related) + "."
        docs.append(faq_doc(slug, title, text))

    ids = [d["sourceId"] for d in docs]
    assert len(ids) == len(set(ids)), "duplicate ids"

    questions = []
    for c in CHEMICALS:
        sds = "sds:" + ("sulfuric-acid" if c["key"] == "battery-acid" else c["key"])
        for text, expected, cat in product_questions(c):
            expected = [sds if e == "sds:battery-acid" else e for e in expected]
            expected = ["faq:substance-sulfuric-acid" if e == "faq:substance-battery-acid" else e for e in expected]
            questions.append(dict(text=text, expected=expected, category=cat))
    # keep a balanced, not too large sample of the generated questions
    rnd.shuffle(questions)
    by_cat = {}
    for q in questions:
        by_cat.setdefault(q["category"], []).append(q)
    kept = []
    limits = {"code": 30, "cas": 25, "un": 15, "synonym": 25, "typo": 20, "paraphrase": 15, "vague": 10}
    for cat, qs in sorted(by_cat.items()):
        kept.extend(qs[:limits.get(cat, 10)])
    for text, keys in VAGUE:
        expected = []
        for key in keys:
            c = next(c for c in CHEMICALS if c["key"] == key)
            expected += ["product:" + product_code(c, n) for n in c["codes"]] + ["faq:substance-" + key]
        kept.append(dict(text=text, expected=expected, category="vague"))
    for slug, _, _, qs in FAQS:
        for text, cat in qs:
            kept.append(dict(text=text, expected=["faq:" + slug], category=cat))
    known = set(ids)
    for i, q in enumerate(kept):
        q["id"] = "q%03d" % (i + 1)
        q["expected"] = sorted(set(q["expected"]))
        assert all(e in known for e in q["expected"]), q

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n")
    with open(os.path.join(OUT, "questions.jsonl"), "w", encoding="utf-8") as f:
        for q in kept:
            f.write(json.dumps({"id": q["id"], "text": q["text"], "expectedSourceIds": q["expected"], "category": q["category"]},
                               ensure_ascii=False, sort_keys=True) + "\n")
    words = [len(d["text"].split()) for d in docs]
    print("%d documents (%d-%d words), %d questions" % (len(docs), min(words), max(words), len(kept)))


if __name__ == "__main__":
    main()
