"""What the demo business is made of: shops, universes, creators, products.

Texts are (fr, nl, en) triples: every customer-facing text exists in the
three languages."""
import datetime as dt

COMPANY = {
    'name': "Urban Therapy",
    'street': "Rue Antoine Dansaert 58",
    'postal_code': "1000",
    'city': "Bruxelles",
    # Belgian VAT: 0 + 7 digits + 97-check (see belgian_vat)
    'vat_base': '4876543',
    'email': "hello@urbantherapy.be",
    'phone': "+32 2 512 34 56",
    }

# The company's bank account, printed on its invoices and in their UBL; an
# IBAN that stdnum (thus Tryton) accepts: bank code 001 is BNP Paribas
# Fortis, whose BIC must match the bank's
BANK = {
    'name': "BNP Paribas Fortis",
    'bic': 'GEBABEBB',
    'iban': 'BE21 0012 3456 7803',
    }

COUNTRIES = [
    ('BE', 'BEL', '056', "Belgium"),
    ('NL', 'NLD', '528', "Netherlands"),
    ('FR', 'FRA', '250', "France"),
    ('LU', 'LUX', '442', "Luxembourg"),
    ('DE', 'DEU', '276', "Germany"),
    ]

# Tuesday–Saturday 10:00–18:30, Sunday 11:00–17:00 in the big cities,
# Monday afternoons only.
_CITY_HOURS = {0: ['12:00-18:00'], 1: ['10:00-18:30'], 2: ['10:00-18:30'],
    3: ['10:00-18:30'], 4: ['10:00-19:00'], 5: ['10:00-18:30'],
    6: ['11:00-17:00']}
_TOWN_HOURS = {1: ['10:00-12:30', '13:30-18:00'], 2: ['10:00-18:00'],
    3: ['10:00-18:00'], 4: ['10:00-18:00'], 5: ['10:00-18:00']}

SHOPS = [
    # code, name, street, postal code, city, lat, lon, phone, hours
    ('BXL', "Urban Therapy Bruxelles", "Rue Antoine Dansaert 58", "1000",
        "Bruxelles", '50.850870', '4.346860', "+32 2 512 34 56", _CITY_HOURS),
    ('GNT', "Urban Therapy Gent", "Veldstraat 34", "9000", "Gent",
        '51.052520', '3.722610', "+32 9 223 45 67", _CITY_HOURS),
    ('ANT', "Urban Therapy Antwerpen", "Kammenstraat 52", "2000",
        "Antwerpen", '51.217010', '4.399480', "+32 3 231 56 78", _CITY_HOURS),
    ('LGG', "Urban Therapy Liège", "Rue Pont d'Avroy 12", "4000", "Liège",
        '50.641020', '5.570050', "+32 4 222 67 89", _TOWN_HOURS),
    ('NAM', "Urban Therapy Namur", "Rue de Fer 30", "5000", "Namur",
        '50.465960', '4.866070', "+32 81 22 78 90", _TOWN_HOURS),
    ('LEU', "Urban Therapy Leuven", "Bondgenotenlaan 40", "3000", "Leuven",
        '50.880360', '4.703120', "+32 16 20 89 01", _TOWN_HOURS),
    ]
CENTRAL = ('CEN', "Central stock room", "Industrieweg 12", "1800",
    "Vilvoorde", '50.928100', '4.424500')

UNIVERSES = [
    # code, (fr, nl, en) name, (fr, nl, en) description
    ('home', ("Maison", "Wonen", "Home"), (
        "Des objets simples et chaleureux pour habiter autrement.",
        "Eenvoudige, warme objecten om anders te wonen.",
        "Simple, warm objects for a slower home.")),
    ('ceramics', ("Céramique", "Keramiek", "Ceramics"), (
        "Tournée à la main par des céramistes belges.",
        "Met de hand gedraaid door Belgische keramisten.",
        "Wheel-thrown by Belgian ceramicists.")),
    ('textiles', ("Textile", "Textiel", "Textiles"), (
        "Lin lavé, coton bio et laines douces.",
        "Gewassen linnen, biokatoen en zachte wol.",
        "Washed linen, organic cotton and soft wool.")),
    ('jewellery', ("Bijoux", "Juwelen", "Jewellery"), (
        "Des bijoux délicats, faits main en petites séries.",
        "Fijne juwelen, handgemaakt in kleine reeksen.",
        "Delicate jewellery, handmade in small batches.")),
    ('stationery', ("Papeterie", "Papierwaren", "Stationery"), (
        "Carnets, cartes et beaux livres pour prendre le temps.",
        "Notitieboekjes, kaarten en mooie boeken om tijd te nemen.",
        "Notebooks, cards and beautiful books to take your time.")),
    ('beauty', ("Beauté", "Verzorging", "Beauty"), (
        "Soins naturels et savons saponifiés à froid.",
        "Natuurlijke verzorging en koudgeroerde zepen.",
        "Natural care and cold-process soaps.")),
    ('plants', ("Plantes", "Planten", "Plants"), (
        "Plantes d'intérieur et tout pour en prendre soin.",
        "Kamerplanten en alles om ervoor te zorgen.",
        "Houseplants and everything to care for them.")),
    ]

CREATORS = [
    # code, name, kind, city, (fr, nl, en) bio
    ('UT', "Urban Therapy", 'own_brand', "Bruxelles", (
        "Notre propre collection, dessinée à Bruxelles.",
        "Onze eigen collectie, ontworpen in Brussel.",
        "Our own collection, designed in Brussels.")),
    ('LUNE', "Atelier Lune", 'designer', "Bruxelles", (
        "Céramiques en grès aux émaux mats.",
        "Steengoed met matte glazuren.",
        "Stoneware with matte glazes.")),
    ('KEREL', "Studio Kerel", 'designer', "Gent", (
        "Textiles tissés à Gand sur des métiers anciens.",
        "Textiel geweven in Gent op oude weefgetouwen.",
        "Textiles woven in Ghent on vintage looms.")),
    ('TERRE', "Terre & Sel", 'designer', "Namur", (
        "Poterie utilitaire cuite au bois.",
        "Houtgestookt gebruiksaardewerk.",
        "Wood-fired everyday pottery.")),
    ('OYA', "Oya Knits", 'designer', "Antwerpen", (
        "Tricots en laine belge, teintures végétales.",
        "Breiwerk in Belgische wol, plantaardig geverfd.",
        "Knits in Belgian wool, plant-dyed.")),
    ('PAPIER', "Papier Bleu", 'designer', "Liège", (
        "Papeterie imprimée en risographie.",
        "Risografisch gedrukte papierwaren.",
        "Risograph-printed stationery.")),
    ('SABLE', "Bijoux Sable", 'designer', "Leuven", (
        "Bijoux en argent recyclé.",
        "Juwelen in gerecycleerd zilver.",
        "Jewellery in recycled silver.")),
    ('MARAIS', "Savonnerie du Marais", 'designer', "Bruxelles", (
        "Savons saponifiés à froid, sans parfum de synthèse.",
        "Koudgeroerde zepen zonder synthetische geur.",
        "Cold-process soaps without synthetic scent.")),
    ('GROEN', "Groen Atelier", 'designer', "Leuven", (
        "Pots et suspensions pour plantes.",
        "Potten en hangers voor planten.",
        "Pots and hangers for plants.")),
    ('MIRA', "Mira Textiles", 'designer', "Antwerpen", (
        "Linge de maison en lin lavé.",
        "Huislinnen in gewassen linnen.",
        "Household linen in washed linen.")),
    ]

# Articles per universe: key, (fr, nl, en), drawing kind, creators,
# gross price range in EUR, VAT rate, variant axis
ARTICLES = {
    'ceramics': [
        ('mug', ("Tasse", "Mok", "Mug"), 'vessel', ['LUNE', 'TERRE', 'UT'],
            (18, 32), 21, 'colour'),
        ('bowl', ("Bol", "Kom", "Bowl"), 'bowl', ['LUNE', 'TERRE'],
            (16, 38), 21, 'colour'),
        ('vase', ("Vase", "Vaas", "Vase"), 'vessel', ['LUNE', 'UT'],
            (35, 89), 21, 'size'),
        ('plate', ("Assiette", "Bord", "Plate"), 'bowl', ['TERRE'],
            (22, 36), 21, 'size'),
        ('teapot', ("Théière", "Theepot", "Teapot"), 'vessel', ['TERRE'],
            (59, 79), 21, None),
        ],
    'home': [
        ('candle', ("Bougie parfumée", "Geurkaars", "Scented candle"),
            'vessel', ['UT'], (19, 34), 21, None),
        ('holder', ("Bougeoir", "Kandelaar", "Candle holder"), 'vessel',
            ['UT', 'LUNE'], (15, 29), 21, 'colour'),
        ('basket', ("Panier tressé", "Gevlochten mand", "Woven basket"),
            'bowl', ['UT'], (29, 65), 21, 'size'),
        ('mirror', ("Miroir rotin", "Rotan spiegel", "Rattan mirror"),
            'ring', ['UT'], (49, 129), 21, None),
        ],
    'textiles': [
        ('cushion', ("Housse de coussin", "Kussenhoes", "Cushion cover"),
            'textile', ['KEREL', 'MIRA', 'UT'], (29, 49), 21, 'colour'),
        ('throw', ("Plaid", "Plaid", "Throw"), 'textile', ['KEREL', 'OYA'],
            (69, 149), 21, 'colour'),
        ('napkin', ("Serviettes en lin (x4)", "Linnen servetten (x4)",
                "Linen napkins (x4)"), 'textile', ['MIRA'], (29, 39), 21,
            'colour'),
        ('scarf', ("Écharpe", "Sjaal", "Scarf"), 'textile', ['OYA'],
            (45, 79), 21, 'colour'),
        ],
    'jewellery': [
        ('ring', ("Bague", "Ring", "Ring"), 'ring', ['SABLE'], (39, 89), 21,
            'size'),
        ('earrings', ("Boucles d'oreilles", "Oorbellen", "Earrings"), 'ring',
            ['SABLE', 'UT'], (29, 69), 21, None),
        ('necklace', ("Collier", "Halsketting", "Necklace"), 'ring',
            ['SABLE'], (49, 119), 21, None),
        ],
    'stationery': [
        ('notebook', ("Carnet", "Notitieboek", "Notebook"), 'paper',
            ['PAPIER', 'UT'], (12, 24), 21, 'colour'),
        ('cards', ("Cartes de vœux (x5)", "Wenskaarten (x5)",
                "Greeting cards (x5)"), 'paper', ['PAPIER'], (9, 15), 21,
            None),
        ('poster', ("Affiche risographie", "Risoprint poster",
                "Risograph poster"), 'paper', ['PAPIER'], (25, 45), 21,
            'size'),
        ('book', ("Beau livre", "Koffietafelboek", "Coffee-table book"),
            'paper', ['PAPIER'], (29, 49), 6, None),
        ],
    'beauty': [
        ('soap', ("Savon", "Zeep", "Soap"), 'bottle', ['MARAIS'], (7, 12), 21,
            None),
        ('oil', ("Huile corps", "Lichaamsolie", "Body oil"), 'bottle',
            ['MARAIS', 'UT'], (24, 39), 21, None),
        ('balm', ("Baume", "Balsem", "Balm"), 'bottle', ['MARAIS'], (14, 22),
            21, None),
        ],
    'plants': [
        ('pot', ("Cache-pot", "Sierpot", "Plant pot"), 'bowl',
            ['GROEN', 'TERRE'], (19, 59), 21, 'size'),
        ('hanger', ("Suspension macramé", "Macramé plantenhanger",
                "Macramé plant hanger"), 'leaf', ['GROEN'], (24, 39), 21,
            None),
        ('mister', ("Brumisateur", "Plantenspuit", "Plant mister"), 'bottle',
            ['GROEN'], (18, 26), 21, 'colour'),
        ],
    }

# Names that make each article unique: (fr, nl, en) and a colour for the
# picture.
FINISHES = [
    (("Sable", "Zand", "Sand"), 'sand'),
    (("Terracotta", "Terracotta", "Terracotta"), 'terracotta'),
    (("Sauge", "Salie", "Sage"), 'sage'),
    (("Minuit", "Middernacht", "Midnight"), 'midnight'),
    (("Ocre", "Oker", "Ochre"), 'ochre'),
    (("Rose poudré", "Poederroze", "Dusty rose"), 'rose'),
    (("Ivoire", "Ivoor", "Ivory"), 'ivory'),
    (("Charbon", "Houtskool", "Charcoal"), 'charcoal'),
    (("Olive", "Olijf", "Olive"), 'olive'),
    (("Argile", "Klei", "Clay"), 'clay'),
    (("Indigo", "Indigo", "Indigo"), 'indigo'),
    (("Mousse", "Mos", "Moss"), 'moss'),
    ]
COLLECTIONS = [
    ("Dune", "Dune", "Dune"), ("Zenne", "Zenne", "Zenne"),
    ("Ardenne", "Ardennen", "Ardennes"), ("Marolles", "Marollen", "Marolles"),
    ("Escaut", "Schelde", "Scheldt"), ("Sablon", "Zavel", "Sablon"),
    ]
VARIANT_AXES = {
    'colour': [('SND', 'sand'), ('SGE', 'sage'), ('TRC', 'terracotta'),
        ('MDN', 'midnight')],
    'size': [('S', 'S'), ('M', 'M'), ('L', 'L')],
    }
# (fr, nl, en) names of the variant axes and labels of their values
VARIANT_AXIS_NAMES = {
    'colour': ("Couleur", "Kleur", "Colour"),
    'size': ("Taille", "Maat", "Size"),
    }
VARIANT_VALUE_LABELS = {
    'sand': ("Sable", "Zand", "Sand"),
    'sage': ("Sauge", "Salie", "Sage"),
    'terracotta': ("Terre cuite", "Terracotta", "Terracotta"),
    'midnight': ("Bleu nuit", "Nachtblauw", "Midnight"),
    'S': ("S", "S", "S"),
    'M': ("M", "M", "M"),
    'L': ("L", "L", "L"),
    }
TARGET_PRODUCTS = 150

B2C_CUSTOMERS = [
    # name, email, language, city, postal code, street, phone
    ("Camille Dubois", "camille.dubois@example.be", 'fr', "Bruxelles",
        "1050", "Rue du Page 12", "+32 470 12 34 56"),
    ("Lotte Peeters", "lotte.peeters@example.be", 'nl', "Gent", "9000",
        "Sint-Pietersnieuwstraat 88", "+32 471 23 45 67"),
    ("Sarah Janssens", "sarah.janssens@example.be", 'nl', "Antwerpen",
        "2018", "Mechelsesteenweg 150", "+32 472 34 56 78"),
    ("Julien Lambert", "julien.lambert@example.be", 'fr', "Liège", "4020",
        "Quai de la Boverie 5", "+32 473 45 67 89"),
    ("Emma Maes", "emma.maes@example.be", 'nl', "Leuven", "3000",
        "Naamsestraat 21", "+32 474 56 78 90"),
    ("Chloé Martin", "chloe.martin@example.be", 'fr', "Namur", "5000",
        "Rue de l'Ange 7", "+32 475 67 89 01"),
    ("Noah Willems", "noah.willems@example.be", 'nl', "Brussel", "1000",
        "Vlaamsesteenweg 3", "+32 476 78 90 12"),
    ("Olivia Smith", "olivia.smith@example.com", 'en', "Bruxelles", "1040",
        "Avenue de Tervueren 34", "+32 477 89 01 23"),
    ]
PRO_CUSTOMERS = [
    # name, category, VAT base (7 digits), email, city, postal code, street
    ("Maison Fleurie SRL", 'retailer', '6123456', "achats@maisonfleurie.be",
        "Mons", "7000", "Grand-Rue 41"),
    ("Het Winkeltje BV", 'concept_store', '7234567',
        "inkoop@hetwinkeltje.be", "Brugge", "8000", "Steenstraat 18"),
    ("Kantoor & Co NV", 'corporate', '8345678', "gifts@kantoorco.be",
        "Mechelen", "2800", "Bruul 60"),
    ("Atelier Nord SRL", 'concept_store', '5456789', "hello@ateliernord.be",
        "Tournai", "7500", "Rue Royale 9"),
    ]
PRO_CATEGORIES = {
    # key: (fr, nl, en), share of the retail price (net) a pro pays
    'retailer': (("Pro : revendeur", "Pro: wederverkoper", "Pro: retailer"),
        '0.50'),
    'concept_store': (("Pro : concept store", "Pro: conceptstore",
            "Pro: concept store"), '0.55'),
    'corporate': (("Pro : entreprise", "Pro: bedrijf", "Pro: corporate"),
        '0.70'),
    }

USERS = [
    # login, name, role, shop code, language (the shop's; head office and
    # the pro desk in Brussels work in French)
    ('manager', "Margaux Leroy", 'manager', None, 'fr'),
    ('b2b', "Bram De Smet", 'b2b', None, 'fr'),
    ('staff.bxl', "Inès Haddad", 'staff', 'BXL', 'fr'),
    ('staff.gnt', "Pieter Claes", 'staff', 'GNT', 'nl'),
    ('staff.ant', "Yasmine El Amrani", 'staff', 'ANT', 'nl'),
    ('staff.lgg', "Hugo Renard", 'staff', 'LGG', 'fr'),
    ('staff.nam', "Léa Collard", 'staff', 'NAM', 'fr'),
    ('staff.leu', "Jens Wouters", 'staff', 'LEU', 'nl'),
    ]
DEMO_PASSWORD = 'urban-demo'


def belgian_vat(base7):
    "BE VAT number: 0, 7 digits and the mod-97 check of those 8 digits"
    first8 = '0' + base7
    return 'BE%s%02d' % (first8, 97 - int(first8) % 97)


def ean13(body12):
    "EAN-13 with its check digit"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def hours(spec):
    "Expand {weekday: ['HH:MM-HH:MM', ...]} into (weekday, opens, closes)"
    for weekday, ranges in sorted(spec.items()):
        for text in ranges:
            opens, closes = text.split('-')
            yield (str(weekday), dt.time.fromisoformat(opens),
                dt.time.fromisoformat(closes))
