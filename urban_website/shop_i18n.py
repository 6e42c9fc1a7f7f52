"""French and Dutch of the web shop's interface texts (cart, checkout,
order page; merged into i18n.CATALOG; English is the source)."""

CATALOG = {
    "You may also like": (
        "Vous aimerez aussi",
        "Misschien vind je dit ook mooi"),
    "Complete the look": ("Pour compléter", "Maak het af met"),
    "Add to cart": ("Ajouter au panier", "In winkelmandje"),
    "Variant": ("Variante", "Variant"),
    "%(name)s:": ("%(name)s :", "%(name)s:"),
    "Online": ("En ligne", "Online"),
    "articles": ("articles", "artikelen"),
    "Your cart": ("Votre panier", "Je winkelmandje"),
    "Discover our universes": (
        "Découvrir nos univers",
        "Ontdek onze universums"),
    "Unit price": ("Prix unitaire", "Eenheidsprijs"),
    "Amount": ("Montant", "Bedrag"),
    "Remove": ("Retirer", "Verwijderen"),
    "Update the quantities": (
        "Mettre à jour les quantités",
        "Aantallen bijwerken"),
    "Coupon or welcome code": (
        "Code promo ou de bienvenue",
        "Kortingscode of welkomstcode"),
    "Apply": ("Appliquer", "Toepassen"),
    "Code %(code)s applied": (
        "Code %(code)s appliqué",
        "Code %(code)s toegepast"),
    "Discount": ("Remise", "Korting"),
    "of which VAT": ("dont TVA", "waarvan btw"),
    "Checkout": ("Commander", "Afrekenen"),
    "Change the cart": ("Modifier le panier", "Winkelmandje wijzigen"),
    "Your details": ("Vos coordonnées", "Je gegevens"),
    "No account needed: we send the confirmation to this address.": (
        "Pas besoin de compte : nous envoyons la confirmation à cette "
        "adresse.",
        "Geen account nodig: we sturen de bevestiging naar dit adres."),
    "Click & collect: choose your shop": (
        "Click & collect : choisissez votre boutique",
        "Click & collect: kies je winkel"),
    "Ready by %(date)s": ("Prête le %(date)s", "Klaar op %(date)s"),
    "ready by %(date)s": ("prête le %(date)s", "klaar op %(date)s"),
    "Not available in this shop": (
        "Pas disponible dans cette boutique",
        "Niet beschikbaar in deze winkel"),
    "I accept the terms of sale.": (
        "J'accepte les conditions générales de vente.",
        "Ik aanvaard de algemene verkoopsvoorwaarden."),
    "Read the terms of sale": (
        "Lire les conditions générales de vente",
        "De algemene verkoopsvoorwaarden lezen"),
    "Continue to payment": (
        "Continuer vers le paiement",
        "Verder naar betalen"),
    "Your order": ("Votre commande", "Je bestelling"),
    "Ready for pickup": ("Prête à retirer", "Klaar om af te halen"),
    "Collected": ("Retirée", "Afgehaald"),
    "Keep the address of this page: it shows your order.": (
        "Gardez l'adresse de cette page : elle montre votre commande.",
        "Bewaar het adres van deze pagina: ze toont je bestelling."),
    "This product cannot be bought online.": (
        "Ce produit ne peut pas être acheté en ligne.",
        "Dit product kan niet online gekocht worden."),
    "At most 99 of one product per order.": (
        "99 exemplaires au plus d'un produit par commande.",
        "Hoogstens 99 stuks van een product per bestelling."),
    "This line is no longer in your cart.": (
        "Cette ligne n'est plus dans votre panier.",
        "Deze lijn staat niet meer in je winkelmandje."),
    "Unknown or expired code.": (
        "Code inconnu ou expiré.",
        "Onbekende of vervallen code."),
    "The web shop is closed right now.": (
        "L'e-shop est fermé pour le moment.",
        "De webshop is momenteel gesloten."),
    "Choose a variant and a quantity from 1 to 99.": (
        "Choisissez une variante et une quantité de 1 à 99.",
        "Kies een variant en een aantal van 1 tot 99."),
    "Quantities are whole numbers from 0 to 99.": (
        "Les quantités sont des nombres entiers de 0 à 99.",
        "Aantallen zijn gehele getallen van 0 tot 99."),
    "Enter a code.": ("Entrez un code.", "Vul een code in."),
    "Please enter a valid phone number.": (
        "Veuillez entrer un numéro de téléphone valide.",
        "Vul een geldig telefoonnummer in."),
    "Please enter your name.": (
        "Veuillez entrer votre nom.",
        "Vul je naam in."),
    "Please accept the terms of sale.": (
        "Veuillez accepter les conditions générales de vente.",
        "Aanvaard de algemene verkoopsvoorwaarden."),
    "Choose the shop where you collect your order.": (
        "Choisissez la boutique où retirer votre commande.",
        "Kies de winkel waar je je bestelling afhaalt."),
    "This shop cannot get everything in your cart. Please choose another "
    "shop.": (
        "Cette boutique ne peut pas avoir tout votre panier. Veuillez "
        "choisir une autre boutique.",
        "Deze winkel kan niet alles uit je winkelmandje krijgen. Kies een "
        "andere winkel."),
    "You already hold too many of these articles in unpaid orders.": (
        "Vous réservez déjà trop de ces articles dans des commandes non "
        "payées.",
        "Je houdt al te veel van deze artikelen vast in onbetaalde "
        "bestellingen."),
    "These are the last units: they can only be ordered from a customer "
    "account with a verified e-mail address.": (
        "Ce sont les dernières pièces : elles ne peuvent être commandées que "
        "depuis un compte client à l'adresse e-mail vérifiée.",
        "Dit zijn de laatste stuks: ze kunnen alleen besteld worden vanuit "
        "een klantaccount met een bevestigd e-mailadres."),

    # home delivery at checkout (checkout.html, shop_checkout.py)
    "How do you get your order?": (
        "Comment recevoir votre commande ?",
        "Hoe krijg je je bestelling?"),
    "Click & collect in one of our shops": (
        "Retrait dans une de nos boutiques (click & collect)",
        "Click & collect in een van onze winkels"),
    "free": ("gratuit", "gratis"),
    "Home delivery or relay point": (
        "Livraison à domicile ou en point relais",
        "Levering aan huis of in een afhaalpunt"),
    "Delivery and returns": ("Livraison et retours", "Levering en retour"),
    "Delivery: your address": (
        "Livraison : votre adresse",
        "Levering: je adres"),
    "Street and number": ("Rue et numéro", "Straat en huisnummer"),
    "Show the delivery options for this address": (
        "Voir les options de livraison pour cette adresse",
        "Toon de leveringsopties voor dit adres"),
    "Delivery method": ("Mode de livraison", "Leveringswijze"),
    "Delivered the next working day": (
        "Livré le jour ouvrable suivant",
        "Geleverd op de volgende werkdag"),
    "Delivered in about %(days)s working days": (
        "Livré en %(days)s jours ouvrables environ",
        "Geleverd in ongeveer %(days)s werkdagen"),
    "to a relay point": ("en point relais", "in een afhaalpunt"),
    "Total with this delivery: %(total)s": (
        "Total avec cette livraison : %(total)s",
        "Totaal met deze levering: %(total)s"),
    "Relay point near %(postal_code)s": (
        "Point relais près de %(postal_code)s",
        "Afhaalpunt in de buurt van %(postal_code)s"),
    "No relay point of this method near %(postal_code)s.": (
        "Aucun point relais de ce mode près de %(postal_code)s.",
        "Geen afhaalpunt van deze leveringswijze in de buurt van "
        "%(postal_code)s."),
    "Enter your postal code and show the delivery options to choose a relay "
    "point.": (
        "Entrez votre code postal et affichez les options de livraison pour "
        "choisir un point relais.",
        "Vul je postcode in en toon de leveringsopties om een afhaalpunt te "
        "kiezen."),
    "No home delivery to this country right now: choose click & collect.": (
        "Pas de livraison à domicile vers ce pays pour le moment : "
        "choisissez le click & collect.",
        "Momenteel geen levering aan huis naar dit land: kies click & "
        "collect."),
    "Choose click & collect or home delivery.": (
        "Choisissez le click & collect ou la livraison à domicile.",
        "Kies click & collect of levering aan huis."),
    "Please enter your delivery address: street and number, postal code, "
    "city and country.": (
        "Veuillez entrer votre adresse de livraison : rue et numéro, code "
        "postal, localité et pays.",
        "Vul je leveringsadres in: straat en huisnummer, postcode, gemeente "
        "en land."),
    "Please enter a valid postal code for this country.": (
        "Veuillez entrer un code postal valide pour ce pays.",
        "Vul een geldige postcode voor dit land in."),
    "We deliver only to these countries: %(countries)s.": (
        "Nous livrons uniquement dans ces pays : %(countries)s.",
        "We leveren alleen in deze landen: %(countries)s."),
    "Choose one of the delivery methods offered for your address.": (
        "Choisissez un des modes de livraison proposés pour votre adresse.",
        "Kies een van de leveringswijzen die voor je adres aangeboden "
        "worden."),
    "Choose a relay point for this delivery method.": (
        "Choisissez un point relais pour ce mode de livraison.",
        "Kies een afhaalpunt voor deze leveringswijze."),
    "This relay point is not one of this delivery method's. Please choose "
    "one from the list.": (
        "Ce point relais n'est pas un point de ce mode de livraison. "
        "Veuillez en choisir un dans la liste.",
        "Dit afhaalpunt hoort niet bij deze leveringswijze. Kies er een uit "
        "de lijst."),
    "Not everything in your cart can be shipped now. Please choose click & "
    "collect.": (
        "Tout votre panier ne peut pas être expédié maintenant. Veuillez "
        "choisir le click & collect.",
        "Niet alles uit je winkelmandje kan nu verzonden worden. Kies click "
        "& collect."),
    "Home delivery is not available right now. Please try again later or "
    "choose click & collect.": (
        "La livraison à domicile n'est pas disponible pour le moment. "
        "Réessayez plus tard ou choisissez le click & collect.",
        "Levering aan huis is momenteel niet mogelijk. Probeer later opnieuw "
        "of kies click & collect."),
    "The relay points cannot be looked up right now. Please try again later "
    "or choose another method.": (
        "Les points relais ne peuvent pas être recherchés pour le moment. "
        "Réessayez plus tard ou choisissez un autre mode.",
        "De afhaalpunten kunnen momenteel niet opgezocht worden. Probeer "
        "later opnieuw of kies een andere leveringswijze."),
    "Belgium": ("Belgique", "België"),
    "Netherlands": ("Pays-Bas", "Nederland"),
    "France": ("France", "Frankrijk"),
    "Luxembourg": ("Luxembourg", "Luxemburg"),
    # the order's page (order.html)
    "To the relay point %(point)s": (
        "Au point relais %(point)s",
        "Naar het afhaalpunt %(point)s"),
    "To %(address)s": ("À l'adresse %(address)s", "Naar %(address)s"),
    # the page "Delivery and returns" (delivery.html, shop_delivery.py)
    "Home delivery in Belgium and nearby countries with its prices and "
    "delivery times, free click & collect in our shops, and how to return an "
    "article.": (
        "La livraison à domicile en Belgique et dans les pays voisins, ses "
        "prix et délais, le click & collect gratuit dans nos boutiques, et "
        "comment retourner un article.",
        "Levering aan huis in België en de buurlanden met prijzen en "
        "levertijden, gratis click & collect in onze winkels, en hoe je een "
        "artikel terugstuurt."),
    "Home delivery": ("Livraison à domicile", "Levering aan huis"),
    "We ship your order from the shop that has all of it, through "
    "Sendcloud's carriers. Prices include VAT; the checkout adds the "
    "delivery to your total before you pay.": (
        "Nous expédions votre commande depuis la boutique qui a tout, par "
        "les transporteurs de Sendcloud. Les prix sont TVA comprise ; la "
        "commande ajoute la livraison à votre total avant le paiement.",
        "We verzenden je bestelling vanuit de winkel die alles heeft, met de "
        "vervoerders van Sendcloud. Prijzen zijn inclusief btw; bij het "
        "afrekenen komt de levering bij je totaal voor je betaalt."),
    "Delivery time": ("Délai de livraison", "Levertijd"),
    "to a relay point you choose": (
        "en point relais, au choix",
        "in een afhaalpunt naar keuze"),
    "next working day": ("jour ouvrable suivant", "volgende werkdag"),
    "about %(days)s working days": (
        "%(days)s jours ouvrables environ",
        "ongeveer %(days)s werkdagen"),
    "No home delivery to this country right now.": (
        "Pas de livraison à domicile vers ce pays pour le moment.",
        "Momenteel geen levering aan huis naar dit land."),
    "Click & collect": ("Click & collect", "Click & collect"),
    "Free. Order online and collect your order in the shop you choose:": (
        "Gratuit. Commandez en ligne et retirez votre commande dans la "
        "boutique de votre choix :",
        "Gratis. Bestel online en haal je bestelling af in de winkel van je "
        "keuze:"),
    "Your order is ready %(hours)s hours after you order when the shop has "
    "everything in stock; otherwise it comes from another shop and the "
    "checkout shows the day it is ready. We keep it for you %(days)s days "
    "once it is ready.": (
        "Votre commande est prête %(hours)s heures après votre achat quand "
        "la boutique a tout en stock ; sinon elle vient d'une autre boutique "
        "et la commande indique le jour où elle est prête. Nous la gardons "
        "pour vous %(days)s jours une fois prête.",
        "Je bestelling is klaar %(hours)s uur na je aankoop als de winkel "
        "alles op voorraad heeft; anders komt ze uit een andere winkel en "
        "toont het afrekenen de dag waarop ze klaar is. We houden ze "
        "%(days)s dagen voor je bij zodra ze klaar is."),
    "Returns": ("Retours", "Retour"),
    "Once we have received the articles, we refund them to the card or "
    "account you paid with.": (
        "Dès que nous avons reçu les articles, nous les remboursons sur la "
        "carte ou le compte utilisé pour payer.",
        "Zodra we de artikelen ontvangen hebben, betalen we ze terug op de "
        "kaart of rekening waarmee je betaalde."),
    # the customer's account (shop_account.py)
    "My account": ("Mon compte", "Mijn account"),
    "Create an account": ("Créer un compte", "Account aanmaken"),
    "Create my account": ("Créer mon compte", "Mijn account aanmaken"),
    "I already have an account": (
        "J'ai déjà un compte",
        "Ik heb al een account"),
    "The same account as in the app.": (
        "Le même compte que dans l'app.",
        "Hetzelfde account als in de app."),
    "Follow your orders of the site, the app and our shops, and keep your "
    "addresses.": (
        "Suivez vos commandes du site, de l'app et de nos boutiques, et "
        "gardez vos adresses.",
        "Volg je bestellingen van de site, de app en onze winkels, en bewaar "
        "je adressen."),
    "Password again": (
        "Mot de passe (encore une fois)",
        "Wachtwoord (nogmaals)"),
    "Check your e-mail": ("Consultez vos e-mails", "Bekijk je e-mail"),
    "We sent an e-mail to %(email)s: it confirms the address, or tells you "
    "that it already has an account.": (
        "Nous avons envoyé un e-mail à %(email)s : il confirme l'adresse, ou "
        "vous dit qu'elle a déjà un compte.",
        "We stuurden een e-mail naar %(email)s: die bevestigt het adres, of "
        "zegt dat het al een account heeft."),
    "Your session has ended. Please log in again.": (
        "Votre session est terminée. Veuillez vous reconnecter.",
        "Je sessie is afgelopen. Meld je opnieuw aan."),
    "e-mail address not confirmed yet": (
        "adresse e-mail pas encore confirmée",
        "e-mailadres nog niet bevestigd"),
    "Saved.": ("Enregistré.", "Opgeslagen."),
    "My orders": ("Mes commandes", "Mijn bestellingen"),
    "Total": ("Total", "Totaal"),
    "No order yet.": ("Pas encore de commande.", "Nog geen bestelling."),
    "My delivery addresses": (
        "Mes adresses de livraison",
        "Mijn leveringsadressen"),
    "Add an address": ("Ajouter une adresse", "Een adres toevoegen"),
    "Add the address": ("Ajouter l'adresse", "Adres toevoegen"),
    "This address is no longer in your account.": (
        "Cette adresse n'est plus dans votre compte.",
        "Dit adres staat niet meer in je account."),
    "My preferences": ("Mes préférences", "Mijn voorkeuren"),
    "Language of my e-mails": (
        "Langue de mes e-mails",
        "Taal van mijn e-mails"),
    "Choose one of the languages offered.": (
        "Choisissez une des langues proposées.",
        "Kies een van de aangeboden talen."),
    "Save my preferences": (
        "Enregistrer mes préférences",
        "Mijn voorkeuren opslaan"),
    "Follow-up": ("Suivi", "Opvolging"),
    "The order goes to your account.": (
        "La commande va dans votre compte.",
        "De bestelling komt in je account."),
    "Placed": ("Passée", "Geplaatst"),
    "Paid": ("Payée", "Betaald"),
    "Being prepared": ("En préparation", "In voorbereiding"),
    "Not collected in time": ("Pas retirée à temps", "Niet op tijd afgehaald"),
    "Shipped": ("Expédiée", "Verzonden"),
    "Delivered": ("Livrée", "Geleverd"),
    "Returned": ("Retournée", "Teruggestuurd"),
    "Refunded": ("Remboursée", "Terugbetaald"),
    "Only collected or delivered orders can be returned.": (
        "Seules les commandes retirées ou livrées peuvent être retournées.",
        "Alleen afgehaalde of geleverde bestellingen kunnen teruggestuurd "
        "worden."),
    "A return of this order is already waiting for the articles.": (
        "Un retour de cette commande attend déjà les articles.",
        "Een retour van deze bestelling wacht al op de artikelen."),
    "A return of this order is waiting for the articles.": (
        "Un retour de cette commande attend les articles.",
        "Een retour van deze bestelling wacht op de artikelen."),
    "This article or quantity was not in the order.": (
        "Cet article ou cette quantité n'était pas dans la commande.",
        "Dit artikel of dit aantal zat niet in de bestelling."),
    "Choose the articles to return.": (
        "Choisissez les articles à retourner.",
        "Kies de artikelen om terug te sturen."),
    "Please tell us why you return them.": (
        "Dites-nous pourquoi vous les retournez.",
        "Zeg ons waarom je ze terugstuurt."),
    "Why do you return them?": (
        "Pourquoi les retournez-vous ?",
        "Waarom stuur je ze terug?"),
    "Return articles": ("Retourner des articles", "Artikelen terugsturen"),
    "Your return request is registered: bring the articles back to one of "
    "our shops or send them to us.": (
        "Votre demande de retour est enregistrée : rapportez les articles "
        "dans une de nos boutiques ou renvoyez-les-nous.",
        "Je retouraanvraag is geregistreerd: breng de artikelen terug naar "
        "een van onze winkels of stuur ze ons op."),
    # customer service (shop_messages.py)
    "My messages": ("Mes messages", "Mijn berichten"),
    "Subject": ("Sujet", "Onderwerp"),
    "Shop": ("Magasin", "Winkel"),
    "Last message": ("Dernier message", "Laatste bericht"),
    "No message yet.": (
        "Aucun message pour l'instant.",
        "Nog geen berichten."),
    "Write to the shop": ("Écrire au magasin", "Schrijf naar de winkel"),
    "About": ("À propos de", "Over"),
    "Title": ("Titre", "Titel"),
    "Your message": ("Votre message", "Je bericht"),
    "To send photos (a damaged item), write from the app.": (
        "Pour envoyer des photos (un article abîmé), écrivez depuis l'app.",
        "Om foto's te sturen (een beschadigd artikel), schrijf via de app."),
    "Send": ("Envoyer", "Versturen"),
    "Your message is sent: the shop answers you here and by e-mail.": (
        "Votre message est envoyé : le magasin vous répond ici et par e-mail.",
        "Je bericht is verstuurd: de winkel antwoordt je hier en per e-mail."),
    "Me": ("Moi", "Ik"),
    "%(count)s photo(s)": ("%(count)s photo(s)", "%(count)s foto('s)"),
    "Your answer": ("Votre réponse", "Je antwoord"),
    "Choose what your message is about.": (
        "Choisissez le sujet de votre message.",
        "Kies waarover je bericht gaat."),
    "Please write your message.": (
        "Écrivez votre message.",
        "Schrijf je bericht."),
    "This order is not in your account.": (
        "Cette commande n'est pas dans votre compte.",
        "Deze bestelling staat niet in je account."),
    "An order": ("Une commande", "Een bestelling"),
    "A product": ("Un produit", "Een product"),
    "A return": ("Un retour", "Een retour"),
    "Something else": ("Autre chose", "Iets anders"),
    "Waiting for the shop": ("En attente du magasin", "Wacht op de winkel"),
    "The shop answered": (
        "Le magasin a répondu",
        "De winkel heeft geantwoord"),
    "Conversation closed": ("Conversation clôturée", "Gesprek afgesloten"),
    }
