"""Languages of the site and the catalogue of its interface texts.

French is the default language (no URL prefix); Dutch and English live
under /nl/ and /en/. Texts of the catalogue data (products, universes...)
are Tryton translations; the interface texts are below, English source
with French and Dutch translations."""

LANGUAGES = ('fr', 'nl', 'en')
DEFAULT = 'fr'
NAMES = {'fr': "Français", 'nl': "Nederlands", 'en': "English"}
LOCALES = {'fr': 'fr_BE', 'nl': 'nl_BE', 'en': 'en_GB'}
WEEKDAYS = {
    'fr': ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi",
        "Dimanche"],
    'nl': ["Maandag", "Dinsdag", "Woensdag", "Donderdag", "Vrijdag",
        "Zaterdag", "Zondag"],
    'en': ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
        "Saturday", "Sunday"],
    }


def prefix(lang):
    return '' if lang == DEFAULT else '/' + lang


def url(lang, path='/'):
    "Path of the page path in lang: url('nl', '/shops/gnt') → /nl/shops/gnt"
    return prefix(lang) + path if path != '/' else (prefix(lang) + '/')


def best_language(accept_language):
    "The site language preferred by an Accept-Language header"
    best, quality = DEFAULT, -1.0
    for part in (accept_language or '').split(','):
        pieces = part.strip().split(';')
        code = pieces[0].strip().lower()[:2]
        q = 1.0
        for piece in pieces[1:]:
            if piece.strip().startswith('q='):
                try:
                    q = float(piece.strip()[2:])
                except ValueError:
                    q = 0.0
        if code in LANGUAGES and q > quality:
            best, quality = code, q
    return best


# msgid (English): (French, Dutch)
CATALOG = {
    "Urban Therapy — boho lifestyle concept stores in Belgium": (
        "Urban Therapy — concept stores bohèmes en Belgique",
        "Urban Therapy — boho lifestyle conceptstores in België"),
    "Six Belgian concept stores of objects for a slower life: ceramics, "
    "textiles, jewellery, plants, made by independent designers and our own "
    "workshop.": (
        "Six concept stores belges d'objets pour vivre plus doucement : "
        "céramique, textile, bijoux, plantes, par des créateurs indépendants "
        "et notre atelier.",
        "Zes Belgische conceptstores met objecten voor een trager leven: "
        "keramiek, textiel, juwelen, planten, van onafhankelijke ontwerpers "
        "en ons eigen atelier."),
    "Skip to content": ("Aller au contenu", "Naar de inhoud"),
    "Main navigation": ("Navigation principale", "Hoofdnavigatie"),
    "Language": ("Langue", "Taal"),
    "Universes": ("Univers", "Universums"),
    "Shops": ("Boutiques", "Winkels"),
    "The app": ("L'app", "De app"),
    "Pro portal": ("Espace pro", "Proportaal"),
    "Home": ("Accueil", "Home"),
    "Objects for a slower life": (
        "Des objets pour vivre plus doucement",
        "Objecten voor een trager leven"),
    "Urban Therapy began in 2014 as a small shop in Brussels' Dansaert "
    "district. Today six boutiques in Belgium gather ceramics, linen, "
    "jewellery and plants by independent makers, next to the pieces of our "
    "own workshop.": (
        "Urban Therapy est née en 2014 dans une petite boutique du quartier "
        "Dansaert à Bruxelles. Aujourd'hui, six boutiques en Belgique "
        "réunissent céramiques, linge, bijoux et plantes de créateurs "
        "indépendants, à côté des pièces de notre propre atelier.",
        "Urban Therapy begon in 2014 als een kleine winkel in de Brusselse "
        "Dansaertwijk. Vandaag brengen zes winkels in België keramiek, "
        "linnen, juwelen en planten van onafhankelijke makers samen, naast "
        "de stukken van ons eigen atelier."),
    "Discover the universes": (
        "Découvrir les univers",
        "Ontdek de universums"),
    "New arrivals": ("Nouveautés", "Nieuw binnen"),
    "Our shops": ("Nos boutiques", "Onze winkels"),
    "Get the app": ("Téléchargez l'app", "Download de app"),
    "Order in the app, collect in your shop, and get a welcome code on your "
    "first order.": (
        "Commandez dans l'app, retirez en boutique et recevez un code de "
        "bienvenue pour votre première commande.",
        "Bestel in de app, haal af in je winkel en krijg een welkomstcode "
        "bij je eerste bestelling."),
    "Download on the App Store": (
        "Télécharger dans l'App Store",
        "Download in de App Store"),
    "Get it on Google Play": (
        "Disponible sur Google Play",
        "Ontdek het op Google Play"),
    "Scan to get the app": (
        "Scannez pour obtenir l'app",
        "Scan om de app te krijgen"),
    "QR code to download the Urban Therapy app": (
        "QR code pour télécharger l'app Urban Therapy",
        "QR-code om de Urban Therapy-app te downloaden"),
    "You run a shop, a hotel or a studio?": (
        "Vous tenez une boutique, un hôtel ou un studio ?",
        "Heb je een winkel, een hotel of een studio?"),
    "Order at trade prices on the pro portal.": (
        "Commandez aux prix professionnels sur l'espace pro.",
        "Bestel tegen professionele prijzen op het proportaal."),
    "Go to the pro portal": ("Aller à l'espace pro", "Naar het proportaal"),
    "Newsletter": ("Newsletter", "Nieuwsbrief"),
    "New pieces, workshops and events in your shop, once a month.": (
        "Nouvelles pièces, ateliers et événements dans votre boutique, une "
        "fois par mois.",
        "Nieuwe stukken, workshops en evenementen in je winkel, één keer per "
        "maand."),
    "E-mail address": ("Adresse e-mail", "E-mailadres"),
    "I agree to receive the Urban Therapy newsletter by e-mail. I can "
    "unsubscribe at any time.": (
        "J'accepte de recevoir la newsletter d'Urban Therapy par e-mail. Je "
        "peux me désinscrire à tout moment.",
        "Ik ga akkoord met het ontvangen van de nieuwsbrief van Urban "
        "Therapy per e-mail. Ik kan me op elk moment uitschrijven."),
    "Subscribe": ("S'inscrire", "Inschrijven"),
    "Please confirm your subscription to the newsletter.": (
        "Confirmez votre inscription à la newsletter.",
        "Bevestig je inschrijving op de nieuwsbrief."),
    "Confirm my subscription": (
        "Confirmer mon inscription",
        "Mijn inschrijving bevestigen"),
    "Almost done: open the link in the e-mail we just sent you to confirm "
    "your subscription.": (
        "Presque fini : ouvrez le lien de l'e-mail que nous venons de vous "
        "envoyer pour confirmer votre inscription.",
        "Bijna klaar: open de link in de e-mail die we je net stuurden om je "
        "inschrijving te bevestigen."),
    "This confirmation link is invalid or has expired. Please subscribe "
    "again.": (
        "Ce lien de confirmation n'est pas valable ou a expiré. "
        "Inscrivez-vous à nouveau.",
        "Deze bevestigingslink is ongeldig of verlopen. Schrijf je opnieuw "
        "in."),
    "Thank you! You are subscribed to the newsletter.": (
        "Merci ! Vous êtes inscrit·e à la newsletter.",
        "Bedankt! Je bent ingeschreven voor de nieuwsbrief."),
    "products": ("produits", "producten"),
    "From": ("À partir de", "Vanaf"),
    "incl. VAT": ("TVA incl.", "incl. btw"),
    "by": ("par", "door"),
    "Availability in our shops": (
        "Disponibilité en boutique",
        "Beschikbaarheid in onze winkels"),
    "In stock": ("En stock", "Op voorraad"),
    "Only a few left": ("Plus que quelques pièces", "Nog maar enkele stuks"),
    "Out of stock": ("Épuisé", "Uitverkocht"),
    "Buy online": ("Acheter en ligne", "Online kopen"),
    "Web shop": ("E-shop", "Webshop"),
    "Variants": ("Variantes", "Varianten"),
    "About the designer": ("À propos du créateur", "Over de ontwerper"),
    "Address": ("Adresse", "Adres"),
    "Opening hours": ("Heures d'ouverture", "Openingsuren"),
    "Closed": ("Fermé", "Gesloten"),
    "Phone": ("Téléphone", "Telefoon"),
    "Directions": ("Itinéraire", "Routebeschrijving"),
    "Click & collect available": (
        "Retrait en boutique disponible",
        "Click & collect mogelijk"),
    "Visit the shop": ("Voir la boutique", "Bekijk de winkel"),
    "Welcome to Urban Therapy": (
        "Bienvenue chez Urban Therapy",
        "Welkom bij Urban Therapy"),
    "Thanks for scanning the QR code of our shop in %(city)s.": (
        "Merci d'avoir scanné le QR code de notre boutique de %(city)s.",
        "Bedankt om de QR-code van onze winkel in %(city)s te scannen."),
    "Your first-order code": (
        "Votre code première commande",
        "Je code voor je eerste bestelling"),
    "Enter it at checkout in the app: 10 % off your first order.": (
        "Saisissez-le au paiement dans l'app : -10 % sur votre première "
        "commande.",
        "Vul hem in bij het afrekenen in de app: 10 % korting op je eerste "
        "bestelling."),
    "Install the app to order from our shops, reserve and collect.": (
        "Installez l'app pour commander dans nos boutiques, réserver et "
        "retirer.",
        "Installeer de app om te bestellen in onze winkels, te reserveren en "
        "af te halen."),
    "This QR code is unknown. You can still get the app below.": (
        "Ce QR code est inconnu. Vous pouvez tout de même obtenir l'app "
        "ci-dessous.",
        "Deze QR-code is onbekend. Je kan de app hieronder toch downloaden."),
    "Page not found": ("Page introuvable", "Pagina niet gevonden"),
    "This page does not exist or is no longer available.": (
        "Cette page n'existe pas ou n'est plus disponible.",
        "Deze pagina bestaat niet of is niet meer beschikbaar."),
    "Back to the home page": ("Retour à l'accueil", "Terug naar de homepage"),
    "Invalid request": ("Requête invalide", "Ongeldig verzoek"),
    "This form holds an invalid character. Please correct it and send it "
    "again.": (
        "Ce formulaire contient un caractère invalide. Corrigez-le et "
        "envoyez-le à nouveau.",
        "Dit formulier bevat een ongeldig teken. Verbeter het en verstuur "
        "het opnieuw."),
    "Terms of sale": (
        "Conditions générales de vente",
        "Algemene verkoopsvoorwaarden"),
    "Privacy policy": ("Politique de confidentialité", "Privacybeleid"),
    "Cookies": ("Cookies", "Cookies"),
    "Company number": ("Numéro d'entreprise", "Ondernemingsnummer"),
    "Filter the products": ("Filtrer les produits", "Producten filteren"),
    "Universe": ("Univers", "Universum"),
    "Designer": ("Créateur", "Ontwerper"),
    "Colour": ("Couleur", "Kleur"),
    "Price": ("Prix", "Prijs"),
    "from %(price)s": ("dès %(price)s", "vanaf %(price)s"),
    "In stock at": ("En stock à", "Op voorraad in"),
    "Any shop": ("Toutes les boutiques", "Alle winkels"),
    "Sort by": ("Trier par", "Sorteren op"),
    "Relevance": ("Pertinence", "Relevantie"),
    "Price, low to high": ("Prix croissant", "Prijs, laag naar hoog"),
    "Price, high to low": ("Prix décroissant", "Prijs, hoog naar laag"),
    "Newest": ("Nouveautés", "Nieuwste"),
    "No product of this universe matches these filters.": (
        "Aucun produit de cet univers ne correspond à ces filtres.",
        "Geen product van dit universum past bij deze filters."),
    "Legal": ("Informations légales", "Juridische informatie"),
    "Our boutiques in Belgium: addresses, opening hours and directions.": (
        "Nos boutiques en Belgique : adresses, heures d'ouverture et "
        "itinéraires.",
        "Onze winkels in België: adressen, openingsuren en "
        "routebeschrijving."),
    "Urban Therapy shop in %(city)s: address, opening hours, phone and "
    "directions.": (
        "Boutique Urban Therapy à %(city)s : adresse, heures d'ouverture, "
        "téléphone et itinéraire.",
        "Urban Therapy-winkel in %(city)s: adres, openingsuren, telefoon en "
        "routebeschrijving."),
    "Please tick the box to agree to receive the newsletter.": (
        "Cochez la case pour accepter de recevoir la newsletter.",
        "Vink het vakje aan om akkoord te gaan met de nieuwsbrief."),
    "Please enter a valid e-mail address.": (
        "Veuillez saisir une adresse e-mail valide.",
        "Vul een geldig e-mailadres in."),
    "Products of the universe": (
        "Produits de l'univers",
        "Producten van het universum"),
    # search box and results page (base.html, search.html)
    "Search": ("Rechercher", "Zoeken"),
    "Search the catalogue": (
        "Rechercher dans le catalogue",
        "Zoeken in de catalogus"),
    "Vase, candle, brand, reference…": (
        "Vase, bougie, marque, référence…",
        "Vaas, kaars, merk, referentie…"),
    "Results for “%(query)s”": (
        "Résultats pour « %(query)s »",
        "Resultaten voor ‘%(query)s’"),
    "%(count)s products found": (
        "%(count)s produits trouvés",
        "%(count)s producten gevonden"),
    "No product matches “%(query)s”. Try another word or browse the "
    "universes.": (
        "Aucun produit ne correspond à « %(query)s ». Essayez un autre mot "
        "ou parcourez les univers.",
        "Geen product komt overeen met ‘%(query)s’. Probeer een ander woord "
        "of bekijk de universums."),
    "Type a product, a brand or a reference.": (
        "Tapez un produit, une marque ou une référence.",
        "Typ een product, een merk of een referentie."),
    "Get directions to %(name)s": (
        "Itinéraire vers %(name)s",
        "Route naar %(name)s"),
    # account e-mails' pages (account.html, account.py)
    "Confirm your e-mail address": (
        "Confirmez votre adresse e-mail",
        "Bevestig je e-mailadres"),
    "Confirm my e-mail address": (
        "Confirmer mon adresse e-mail",
        "Mijn e-mailadres bevestigen"),
    "Your e-mail address is confirmed": (
        "Votre adresse e-mail est confirmée",
        "Je e-mailadres is bevestigd"),
    "Thank you. You can now order the last pieces of a shop and follow your "
    "orders.": (
        "Merci. Vous pouvez maintenant commander les dernières pièces d'une "
        "boutique et suivre vos commandes.",
        "Bedankt. Je kunt nu de laatste stuks van een winkel bestellen en je "
        "bestellingen volgen."),
    "Go to the shop": ("Aller à l'e-shop", "Naar de webshop"),
    "Choose a new password": (
        "Choisissez un nouveau mot de passe",
        "Kies een nieuw wachtwoord"),
    "New password": ("Nouveau mot de passe", "Nieuw wachtwoord"),
    "New password again": (
        "Nouveau mot de passe (encore)",
        "Nieuw wachtwoord (nogmaals)"),
    "Save the new password": (
        "Enregistrer le nouveau mot de passe",
        "Nieuw wachtwoord opslaan"),
    "Your password is changed": (
        "Votre mot de passe est modifié",
        "Je wachtwoord is gewijzigd"),
    "Log in with your new password. For your safety, every session of your "
    "account was closed.": (
        "Connectez-vous avec votre nouveau mot de passe. Par sécurité, "
        "toutes les sessions de votre compte ont été fermées.",
        "Meld je aan met je nieuwe wachtwoord. Voor je veiligheid zijn alle "
        "sessies van je account afgesloten."),
    "This link is invalid or has expired": (
        "Ce lien est invalide ou a expiré",
        "Deze link is ongeldig of verlopen"),
    "Ask for a new e-mail from the app or the web shop.": (
        "Demandez un nouvel e-mail depuis l'app ou l'e-shop.",
        "Vraag een nieuwe e-mail aan via de app of de webshop."),
    "Go to my account": ("Aller à mon compte", "Naar mijn account"),
    "The two passwords differ.": (
        "Les deux mots de passe sont différents.",
        "De twee wachtwoorden verschillen."),
    }


def gettext(lang, text, **variables):
    if lang != 'en' and text in CATALOG:
        text = CATALOG[text][0 if lang == 'fr' else 1]
    return text % variables if variables else text


def _merge():
    "the pro portal's and the web shop's texts (own files) into CATALOG"
    from .pro_i18n import CATALOG as PRO
    from .shop_i18n import CATALOG as SHOP
    for catalog in (PRO, SHOP):
        for key, value in catalog.items():
            CATALOG.setdefault(key, value)


_merge()
