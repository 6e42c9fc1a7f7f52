"""French and Dutch of the pro portal's interface texts (merged into
i18n.CATALOG; English is the source)."""

CATALOG = {
    "Urban Therapy Pro": ("Urban Therapy Pro", "Urban Therapy Pro"),
    "Urban Therapy Pro — trade showroom": (
        "Urban Therapy Pro — showroom professionnel",
        "Urban Therapy Pro — professionele showroom"),
    "Order Urban Therapy's objects at trade prices: ceramics, textiles, "
    "jewellery and plants for your shop, concept store or company.": (
        "Commandez les objets d'Urban Therapy aux prix professionnels : "
        "céramique, textile, bijoux et plantes pour votre boutique, concept "
        "store ou entreprise.",
        "Bestel de objecten van Urban Therapy tegen professionele prijzen: "
        "keramiek, textiel, juwelen en planten voor je winkel, conceptstore "
        "of bedrijf."),
    "Our showroom for shops, concept stores and companies: ceramics, linen, "
    "jewellery and plants by independent designers and our workshop, at "
    "trade prices excl. VAT, by the case, delivered or to collect in one of "
    "our shops.": (
        "Notre showroom pour boutiques, concept stores et entreprises : "
        "céramique, linge, bijoux et plantes de créateurs indépendants et de "
        "notre atelier, aux prix pro HTVA, par colis, livrés ou à retirer "
        "dans une de nos boutiques.",
        "Onze showroom voor winkels, conceptstores en bedrijven: keramiek, "
        "linnen, juwelen en planten van onafhankelijke ontwerpers en ons "
        "atelier, tegen proprijzen excl. btw, per verpakking, geleverd of af "
        "te halen in een van onze winkels."),
    "Open a pro account": ("Ouvrir un compte pro", "Een pro-account openen"),
    "Apply for an Urban Therapy pro account.": (
        "Demandez un compte pro Urban Therapy.",
        "Vraag een pro-account bij Urban Therapy aan."),
    "Log in": ("Se connecter", "Aanmelden"),
    "Log out": ("Se déconnecter", "Afmelden"),
    "Password": ("Mot de passe", "Wachtwoord"),
    "Access refused": ("Accès refusé", "Toegang geweigerd"),
    "This page is reserved for approved pro accounts.": (
        "Cette page est réservée aux comptes pro approuvés.",
        "Deze pagina is voorbehouden aan goedgekeurde pro-accounts."),
    "The form expired. Please try again.": (
        "Le formulaire a expiré. Veuillez réessayer.",
        "Het formulier is verlopen. Probeer opnieuw."),
    "Too many attempts. Please wait a few minutes.": (
        "Trop de tentatives. Patientez quelques minutes.",
        "Te veel pogingen. Wacht enkele minuten."),
    "Too many attempts. Please try again in %(minutes)s min.": (
        "Trop de tentatives. Réessayez dans %(minutes)s min.",
        "Te veel pogingen. Probeer het over %(minutes)s min. opnieuw."),
    "Wrong e-mail or password.": (
        "E-mail ou mot de passe incorrect.",
        "Verkeerd e-mailadres of wachtwoord."),
    "This account is not an approved pro account.": (
        "Ce compte n'est pas un compte pro approuvé.",
        "Dit account is geen goedgekeurd pro-account."),
    "Please fill in every required field.": (
        "Veuillez remplir tous les champs obligatoires.",
        "Vul alle verplichte velden in."),
    "Thank you": ("Merci", "Bedankt"),
    "Your application was received. We will answer you at %(email)s.": (
        "Votre demande a bien été reçue. Nous vous répondrons à %(email)s.",
        "Je aanvraag is ontvangen. We antwoorden je op %(email)s."),
    "Company": ("Société", "Bedrijf"),
    "Company name": ("Nom de la société", "Bedrijfsnaam"),
    "VAT number": ("Numéro de TVA", "Btw-nummer"),
    "Peppol ID": ("Identifiant Peppol", "Peppol-ID"),
    "Kind of shop": ("Type de commerce", "Soort zaak"),
    "Street": ("Rue", "Straat"),
    "Postal code": ("Code postal", "Postcode"),
    "City": ("Localité", "Gemeente"),
    "Country": ("Pays", "Land"),
    "Buyer": ("Acheteur", "Aankoper"),
    "Name": ("Nom", "Naam"),
    "Password (10 characters or more)": (
        "Mot de passe (10 caractères ou plus)",
        "Wachtwoord (10 tekens of meer)"),
    "Send the application": ("Envoyer la demande", "Aanvraag versturen"),
    "Pro navigation": ("Navigation pro", "Pronavigatie"),
    "Catalogue": ("Catalogue", "Catalogus"),
    "Cart": ("Panier", "Winkelmand"),
    "Orders": ("Commandes", "Bestellingen"),
    "Order": ("Commande", "Bestelling"),
    "Pro catalogue": ("Catalogue pro", "Procatalogus"),
    "Search": ("Rechercher", "Zoeken"),
    "Collection": ("Collection", "Collectie"),
    "All": ("Tout", "Alles"),
    "In stock only": ("En stock uniquement", "Alleen op voorraad"),
    "Filter": ("Filtrer", "Filteren"),
    "Grid": ("Grille", "Raster"),
    "List": ("Liste", "Lijst"),
    "Download the line sheet (PDF)": (
        "Télécharger la line sheet (PDF)",
        "Line sheet downloaden (pdf)"),
    "%(count)s articles": ("%(count)s articles", "%(count)s artikelen"),
    "Prices excl. VAT; recommended retail prices incl. VAT.": (
        "Prix HTVA ; prix de vente conseillés TVAC.",
        "Prijzen excl. btw; adviesprijzen incl. btw."),
    "Pro price": ("Prix pro", "Proprijs"),
    "From %(quantity)s": ("Dès %(quantity)s", "Vanaf %(quantity)s"),
    "excl. VAT": ("HTVA", "excl. btw"),
    "RRP": ("PVC", "Adviesprijs"),
    "Low stock": ("Stock limité", "Beperkte voorraad"),
    "Case of %(pack)s · minimum %(minimum)s": (
        "Colis de %(pack)s · minimum %(minimum)s",
        "Verpakking van %(pack)s · minimum %(minimum)s"),
    "Quantity": ("Quantité", "Aantal"),
    "Add": ("Ajouter", "Toevoegen"),
    "Article": ("Article", "Artikel"),
    "Case": ("Colis", "Verpakking"),
    "Minimum": ("Minimum", "Minimum"),
    "Stock": ("Stock", "Voorraad"),
    "Pro line sheet": ("Line sheet pro", "Pro line sheet"),
    "Quantities are whole numbers.": (
        "Les quantités sont des nombres entiers.",
        "Aantallen zijn gehele getallen."),
    "Nothing to order.": ("Rien à commander.", "Niets te bestellen."),
    "Choose the pickup shop.": (
        "Choisissez la boutique de retrait.",
        "Kies de afhaalwinkel."),
    "Nothing was added: correct these rows and send again.": (
        "Rien n'a été ajouté : corrigez ces lignes et renvoyez.",
        "Er werd niets toegevoegd: verbeter deze regels en verstuur opnieuw."),
    "Row %(number)s": ("Ligne %(number)s", "Regel %(number)s"),
    "Unit price excl. VAT": ("Prix unitaire HTVA", "Eenheidsprijs excl. btw"),
    "Amount excl. VAT": ("Montant HTVA", "Bedrag excl. btw"),
    "Total excl. VAT": ("Total HTVA", "Totaal excl. btw"),
    "VAT": ("TVA", "Btw"),
    "Total incl. VAT": ("Total TVAC", "Totaal incl. btw"),
    "Update the cart": ("Mettre à jour le panier", "Winkelmand bijwerken"),
    "Minimum order: %(amount)s excl. VAT.": (
        "Commande minimum : %(amount)s HTVA.",
        "Minimumbestelling: %(amount)s excl. btw."),
    "Delivery": ("Livraison", "Levering"),
    "Delivery to the company's address": (
        "Livraison à l'adresse de la société",
        "Levering op het adres van het bedrijf"),
    "Pickup at a shop": ("Retrait en boutique", "Afhalen in een winkel"),
    "Pickup shop": ("Boutique de retrait", "Afhaalwinkel"),
    "Payment": ("Paiement", "Betaling"),
    "On 30-day invoice": (
        "Sur facture à 30 jours",
        "Op factuur binnen 30 dagen"),
    "Place the order": ("Passer la commande", "Bestelling plaatsen"),
    "Your cart is empty.": (
        "Votre panier est vide.",
        "Je winkelmand is leeg."),
    "Quick order": ("Commande rapide", "Snel bestellen"),
    "One article per line: SKU or EAN, then the quantity": (
        "Un article par ligne : SKU ou EAN, puis la quantité",
        "Eén artikel per regel: SKU of EAN, dan het aantal"),
    "Add to the cart": ("Ajouter au panier", "Toevoegen aan winkelmand"),
    "CSV upload": ("Import CSV", "CSV uploaden"),
    "A CSV file with two columns: SKU or EAN, quantity": (
        "Un fichier CSV à deux colonnes : SKU ou EAN, quantité",
        "Een CSV-bestand met twee kolommen: SKU of EAN, aantal"),
    "Upload": ("Envoyer", "Uploaden"),
    "Date": ("Date", "Datum"),
    "Status": ("Statut", "Status"),
    "Invoices": ("Factures", "Facturen"),
    "No orders yet.": ("Pas encore de commande.", "Nog geen bestellingen."),
    "Confirmed": ("Confirmée", "Bevestigd"),
    "Processing": ("En cours", "In behandeling"),
    "Done": ("Terminée", "Afgerond"),
    "Cancelled": ("Annulée", "Geannuleerd"),
    "Quotation": ("Devis", "Offerte"),
    "Thank you! Your order is confirmed; a confirmation was e-mailed to "
    "you.": (
        "Merci ! Votre commande est confirmée ; une confirmation vous a été "
        "envoyée par e-mail.",
        "Bedankt! Je bestelling is bevestigd; je kreeg een bevestiging per "
        "e-mail."),
    "The invoice is being sent through Peppol.": (
        "La facture est en cours d'envoi via Peppol.",
        "De factuur wordt via Peppol verstuurd."),
    "Sending through Peppol is not available yet.": (
        "L'envoi via Peppol n'est pas encore disponible.",
        "Versturen via Peppol is nog niet beschikbaar."),
    "Pickup at %(shop)s": ("Retrait à %(shop)s", "Afhalen in %(shop)s"),
    "Send through Peppol": ("Envoyer via Peppol", "Versturen via Peppol"),
    "The invoice is not issued yet.": (
        "La facture n'est pas encore émise.",
        "De factuur is nog niet opgemaakt."),
    "Order again": ("Commander à nouveau", "Opnieuw bestellen"),
    "This order does not exist.": (
        "Cette commande n'existe pas.",
        "Deze bestelling bestaat niet."),
    "This invoice does not exist.": (
        "Cette facture n'existe pas.",
        "Deze factuur bestaat niet."),
    "Now by card or Bancontact": (
        "Maintenant par carte ou Bancontact",
        "Nu met kaart of Bancontact"),
    "Card payment is not available right now.": (
        "Le paiement par carte n'est pas disponible pour l'instant.",
        "Betalen met kaart is nu niet beschikbaar."),
    "Paid by card or Bancontact": (
        "Payée par carte ou Bancontact",
        "Betaald met kaart of Bancontact"),
    "Awaiting payment": ("En attente de paiement", "Wacht op betaling"),
    "Payment of order": ("Paiement de la commande", "Betaling van bestelling"),
    "Pay %(amount)s": ("Payer %(amount)s", "%(amount)s betalen"),
    "Pay %(amount)s by card or Bancontact": (
        "Payer %(amount)s par carte ou Bancontact",
        "%(amount)s betalen met kaart of Bancontact"),
    "Your order is confirmed as soon as the payment is accepted. Its "
    "articles are held for you for 30 minutes.": (
        "Votre commande est confirmée dès que le paiement est accepté. Ses "
        "articles vous sont réservés pendant 30 minutes.",
        "Je bestelling is bevestigd zodra de betaling aanvaard is. De "
        "artikelen worden 30 minuten voor je gereserveerd."),
    "Payment by card needs JavaScript.": (
        "Le paiement par carte nécessite JavaScript.",
        "Betalen met kaart vereist JavaScript."),
    "Back to the order": ("Retour à la commande", "Terug naar de bestelling"),
    "Thank you! Your payment is being confirmed; this page refreshes until "
    "the order is confirmed.": (
        "Merci ! Votre paiement est en cours de confirmation ; cette page "
        "s'actualise jusqu'à la confirmation de la commande.",
        "Bedankt! Je betaling wordt bevestigd; deze pagina vernieuwt tot de "
        "bestelling bevestigd is."),
    "The payment did not go through.": (
        "Le paiement n'a pas abouti.",
        "De betaling is niet gelukt."),
    "The payment did not go through: the order is cancelled and its articles "
    "released. You can order them again.": (
        "Le paiement n'a pas abouti : la commande est annulée et ses "
        "articles libérés. Vous pouvez les commander à nouveau.",
        "De betaling is niet gelukt: de bestelling is geannuleerd en de "
        "artikelen zijn vrijgegeven. Je kunt ze opnieuw bestellen."),
    "Being sent through Peppol": (
        "En cours d'envoi via Peppol",
        "Wordt via Peppol verstuurd"),
    "Delivered through Peppol": ("Remise via Peppol", "Afgeleverd via Peppol"),
    "Refused through Peppol": ("Refusée via Peppol", "Geweigerd via Peppol"),
    "Peppol sending cancelled": (
        "Envoi Peppol annulé",
        "Peppol-verzending geannuleerd"),
    }
