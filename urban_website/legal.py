"""Legal pages (terms of sale, privacy, cookies) in French, Dutch and
English: (title, [(section title, text)]). The seller is named as the back
office holds the company (seller.py): `{company}` and `{email}` in the
texts."""
import hashlib
import json


PAGES = {
    'terms': {
        'fr': ("Conditions générales de vente", [
            ("Vendeur", "Les ventes en ligne, dans l'app et en boutique sont "
                "conclues avec {company}."),
            ("Prix", "Les prix sont indiqués en euros, TVA belge comprise. "
                "Le prix applicable est celui affiché au moment de la "
                "commande."),
            ("Retrait et livraison", "Les commandes « click & collect » sont "
                "réservées dans la boutique choisie pendant sept jours. Les "
                "livraisons se font en Belgique, aux Pays-Bas, en France et "
                "au Luxembourg."),
            ("Droit de rétractation", "Vous disposez de quatorze jours après "
                "réception pour renoncer à un achat en ligne, sans motif. Les "
                "articles sont repris en boutique ou renvoyés à nos frais "
                "s'ils sont défectueux."),
            ("Garantie et litiges", "Les biens bénéficient de la garantie "
                "légale de conformité de deux ans. Le droit belge est "
                "applicable ; les tribunaux de Bruxelles sont compétents."),
            ]),
        'nl': ("Algemene verkoopsvoorwaarden", [
            ("Verkoper", "Verkopen online, in de app en in de winkel worden "
                "gesloten met {company}."),
            ("Prijzen", "Prijzen zijn in euro, inclusief Belgische btw. De "
                "prijs die geldt is de prijs die bij de bestelling wordt "
                "getoond."),
            ("Afhalen en levering", "Click & collect-bestellingen blijven "
                "zeven dagen gereserveerd in de gekozen winkel. We leveren "
                "in België, Nederland, Frankrijk en Luxemburg."),
            ("Herroepingsrecht", "Je hebt veertien dagen na ontvangst om een "
                "online aankoop zonder reden te herroepen. Artikelen worden "
                "in de winkel teruggenomen of op onze kosten teruggestuurd "
                "als ze defect zijn."),
            ("Garantie en geschillen", "Goederen genieten de wettelijke "
                "conformiteitsgarantie van twee jaar. Het Belgisch recht is "
                "van toepassing; de rechtbanken van Brussel zijn bevoegd."),
            ]),
        'en': ("Terms of sale", [
            ("Seller", "Sales online, in the app and in our shops are made "
                "with {company}."),
            ("Prices", "Prices are in euros, Belgian VAT included. The price "
                "that applies is the one shown when you order."),
            ("Collection and delivery", "Click & collect orders are held in "
                "the chosen shop for seven days. We deliver to Belgium, the "
                "Netherlands, France and Luxembourg."),
            ("Right of withdrawal", "You have fourteen days after receipt to "
                "cancel an online purchase without giving a reason. Items "
                "are taken back in our shops, or returned at our expense "
                "when faulty."),
            ("Warranty and disputes", "Goods carry the two-year legal "
                "guarantee of conformity. Belgian law applies; the courts of "
                "Brussels have jurisdiction."),
            ]),
        },
    'privacy': {
        'fr': ("Politique de confidentialité", [
            ("Responsable du traitement", "{company}."),
            ("Données traitées", "Nous traitons les données nécessaires à vos "
                "commandes (nom, adresse, e-mail, téléphone, achats) et, si "
                "vous y consentez, votre adresse e-mail pour la newsletter, "
                "avec la date, la langue et le canal de votre consentement."),
            ("Scans de QR code", "Quand vous scannez le QR code d'une "
                "boutique, nous enregistrons la boutique, l'heure et la "
                "langue du scan, sans donnée personnelle, pour savoir quelle "
                "boutique vous a fait découvrir l'app."),
            ("Vos droits", "Vous pouvez accéder à vos données, les rectifier, "
                "les effacer, retirer votre consentement ou vous opposer à un "
                "traitement en écrivant à {email}. Vous pouvez "
                "aussi saisir l'Autorité de protection des données."),
            ("Conservation", "Les données de commande sont conservées sept "
                "ans (obligations comptables) ; le consentement à la "
                "newsletter jusqu'à son retrait."),
            ]),
        'nl': ("Privacybeleid", [
            ("Verwerkingsverantwoordelijke", "{company}."),
            ("Verwerkte gegevens", "We verwerken de gegevens die nodig zijn "
                "voor je bestellingen (naam, adres, e-mail, telefoon, "
                "aankopen) en, als je toestemming geeft, je e-mailadres voor "
                "de nieuwsbrief, met de datum, de taal en het kanaal van je "
                "toestemming."),
            ("Scans van QR-codes", "Als je de QR-code van een winkel scant, "
                "bewaren we de winkel, het tijdstip en de taal van de scan, "
                "zonder persoonsgegevens, om te weten welke winkel je de app "
                "liet ontdekken."),
            ("Je rechten", "Je kan je gegevens inzien, verbeteren, laten "
                "wissen, je toestemming intrekken of je tegen een verwerking "
                "verzetten door te schrijven naar {email}. Je "
                "kan ook de Gegevensbeschermingsautoriteit contacteren."),
            ("Bewaring", "Bestelgegevens worden zeven jaar bewaard "
                "(boekhoudkundige verplichtingen); de toestemming voor de "
                "nieuwsbrief tot je ze intrekt."),
            ]),
        'en': ("Privacy policy", [
            ("Controller", "{company}."),
            ("Data we process", "We process the data your orders need (name, "
                "address, e-mail, phone, purchases) and, if you agree, your "
                "e-mail address for the newsletter, with the date, language "
                "and channel of your consent."),
            ("QR code scans", "When you scan a shop's QR code we record the "
                "shop, the time and the language of the scan, with no "
                "personal data, to know which shop introduced you to the "
                "app."),
            ("Your rights", "You may access, correct or erase your data, "
                "withdraw your consent or object to processing by writing to "
                "{email}. You may also contact the Belgian "
                "Data Protection Authority."),
            ("Retention", "Order data is kept for seven years (accounting "
                "duties); newsletter consent until you withdraw it."),
            ]),
        },
    'cookies': {
        'fr': ("Cookies", [
            ("Aucun cookie de suivi", "Ce site ne dépose aucun cookie de "
                "mesure d'audience, de publicité ni de réseau social."),
            ("Cookies techniques", "Seuls l'espace pro et le back-office "
                "utilisent un cookie de session, strictement nécessaire à la "
                "connexion ; il disparaît à la déconnexion. Le panier de "
                "l'e-shop est retrouvé par un cookie qui ne contient qu'un "
                "identifiant aléatoire, gardé 30 jours."),
            ("Contact", "Pour toute question : {email}."),
            ]),
        'nl': ("Cookies", [
            ("Geen trackingcookies", "Deze site plaatst geen cookies voor "
                "bezoekersstatistieken, reclame of sociale netwerken."),
            ("Technische cookies", "Alleen het proportaal en de back office "
                "gebruiken een sessiecookie, strikt nodig om aan te melden; "
                "hij verdwijnt bij het afmelden. Het winkelmandje van de "
                "webshop wordt teruggevonden met een cookie die alleen een "
                "willekeurige code bevat, 30 dagen bewaard."),
            ("Contact", "Vragen? {email}."),
            ]),
        'en': ("Cookies", [
            ("No tracking cookies", "This site sets no analytics, "
                "advertising or social network cookies."),
            ("Technical cookies", "Only the pro portal and the back office "
                "use a session cookie, strictly needed to sign in; it is "
                "gone when you sign out. The web shop's cart is found again "
                "by a cookie holding only a random identifier, kept 30 "
                "days."),
            ("Contact", "Any question: {email}."),
            ]),
        },
    }


# the section of the terms on returns, quoted by the delivery page
TERMS_WITHDRAWAL = 3


def page(name, lang, seller):
    "(title, sections) of page name in lang, naming seller (seller.py)"
    title, sections = PAGES[name][lang]
    values = {'company': seller['line'], 'email': seller['email']}
    return title, [(heading, text.format(**values))
        for heading, text in sections]


def terms_version():
    """Version of the terms of sale a customer accepts at checkout (kept
    on the order): the digest of their text in every language, so that any
    change of the text is a new version"""
    text = json.dumps(PAGES['terms'], sort_keys=True, ensure_ascii=False)
    return 'terms-%s' % hashlib.sha256(text.encode()).hexdigest()[:12]


def section(name, index, lang, seller):
    "(title, text) of the section index of page name in lang"
    return page(name, lang, seller)[1][index]
