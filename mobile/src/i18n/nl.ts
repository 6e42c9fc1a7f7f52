import type {Texts} from './en';

const nl: Texts = {
  appName: 'Urban Therapy',
  tagline: 'Slow living, boho woonaccessoires en cadeaus',
  nav: {home: 'Home', search: 'Zoeken', cart: 'Winkelmand', orders: 'Mijn bestellingen', account: 'Account'},
  common: {
    retry: 'Opnieuw proberen', loading: 'Laden…', back: 'Terug', save: 'Opslaan',
    offline: 'Je bent offline: dit is de catalogus die op dit toestel bewaard is.',
    offlineNoData: 'Je bent offline en deze pagina is nog niet bewaard. Controleer je verbinding.',
    error: 'Er ging iets mis. Probeer het opnieuw.',
    language: 'Taal',
  },
  onboarding: {
    title: 'Welkom bij Urban Therapy',
    body: 'Scan de QR-code in een van onze winkels, of typ de code eronder, en krijg 10% korting op je eerste bestelling.',
    code: 'Winkelcode', codeHint: 'Bijvoorbeeld GHENT', submit: 'Mijn korting ophalen',
    scan: 'QR-code scannen', skip: 'Later',
    done: 'Welkom vanuit {{shop}}! Je code voor je eerste bestelling {{code}} staat klaar in je winkelmand.',
    unknown: 'Deze winkelcode kennen we niet.',
  },
  home: {newArrivals: 'Nieuw binnen', universes: 'Onze werelden', products: '{{count}} producten', seeAll: 'Alles bekijken', welcomeCode: 'Een code gekregen in de winkel?'},
  catalogue: {
    filters: 'Filters', inStock: 'Online op voorraad', newOnly: 'Enkel nieuw',
    sort: 'Sorteren', sortName: 'Naam', sortPriceAsc: 'Prijs ↑', sortPriceDesc: 'Prijs ↓', sortNew: 'Nieuwste',
    priceMax: 'Max. prijs (€)', empty: 'Niets gevonden met deze filters.', more: 'Meer tonen',
    availableIn: 'Beschikbaar in {{shops}}', soldOut: 'Online uitverkocht', from: 'vanaf {{price}}', new: 'Nieuw',
  },
  search: {placeholder: 'Kussens, kaarsen, planten…', label: 'Producten zoeken', empty: 'Geen product gevonden voor “{{q}}”.', hint: 'Typ minstens 2 letters.'},
  product: {
    variants: 'Kies', addToCart: 'In winkelmand', added: 'Toegevoegd aan je winkelmand', quantity: 'Aantal',
    availability: 'Beschikbaarheid in de winkels', online: '{{count}} online beschikbaar', image: 'Foto {{index}} van {{name}}',
    notFound: 'Dit product bestaat niet meer.',
  },
  cart: {
    title: 'Je winkelmand', empty: 'Je winkelmand is leeg.', browse: 'Bekijk de catalogus',
    coupon: 'Kortingscode', apply: 'Toepassen', remove: 'Verwijderen', checkout: 'Afrekenen',
    subtotal: 'Subtotaal (excl. btw)', tax: 'Btw', delivery: 'Levering', total: 'Totaal',
    increase: 'Eén {{name}} meer', decrease: 'Eén {{name}} minder', removeLine: '{{name}} verwijderen',
    couponApplied: 'Code {{code}} toegepast', loginFirst: 'Log in of maak een account om af te rekenen.',
  },
  checkout: {
    title: 'Afrekenen', clickCollect: 'Click & collect', delivery: 'Levering aan huis',
    pickShop: 'Afhalen in', readyBy: 'Klaar op {{date}}', transfer: 'uit een andere winkel gebracht', unavailable: 'Niet beschikbaar in deze winkel',
    distance: '{{km}} km', phone: 'Telefoon', phoneHint: 'Zodat de winkel je kan bereiken',
    address: 'Leveringsadres', street: 'Straat en nummer', postalCode: 'Postcode', city: 'Gemeente',
    relay: 'Afhaalpunt', relaySearch: 'Punten zoeken', relayNone: 'Geen afhaalpunt in de buurt van deze postcode.',
    method: 'Leveringswijze', payment: 'Betaalmethode', card: 'Kaart', bancontact: 'Bancontact',
    place: 'Bestellen en {{amount}} betalen', missingShop: 'Kies een winkel.', missingPhone: 'Geef een telefoonnummer.',
    missingAddress: 'Vul het adres aan.',
  },
  payment: {
    title: 'Betaling', pay: '{{amount}} betalen', cardLabel: 'Kaartgegevens', processing: 'Wachten op de bevestiging van de betaling…',
    unavailable: 'Online betalen is nu niet mogelijk. Probeer het later opnieuw.',
    failed: 'De betaling is mislukt: {{message}}',
  },
  confirmation: {title: 'Bedankt!', body: 'Bestelling {{number}} is betaald.', pickup: 'We laten je weten zodra ze klaar is in {{shop}}.', orders: 'Mijn bestellingen bekijken'},
  orders: {
    title: 'Mijn bestellingen', empty: 'Nog geen bestelling.', number: 'Bestelling {{number}}', total: 'Totaal', timeline: 'Opvolging',
    status: {
      draft: 'Wacht op betaling', quotation: 'Wacht op betaling', placed: 'Geplaatst', paid: 'Betaald', processing: 'In voorbereiding', confirmed: 'Bevestigd',
      preparing: 'In voorbereiding', ready_for_pickup: 'Klaar om af te halen', ready: 'Klaar om af te halen', collected: 'Afgehaald', shipped: 'Verzonden', delivered: 'Geleverd',
      done: 'Afgerond', cancelled: 'Geannuleerd', cancel: 'Geannuleerd', refunded: 'Terugbetaald', returned: 'Teruggestuurd',
    },
    cancel: 'Bestelling annuleren', return: 'Artikelen terugsturen', returnReason: 'Waarom stuur je ze terug?',
    returnSend: 'Retour aanvragen', returnDone: 'Retouraanvraag {{id}} verstuurd.',
    loginFirst: 'Log in om je bestellingen te zien.',
  },
  account: {
    title: 'Account', login: 'Inloggen', logout: 'Uitloggen', register: 'Account aanmaken', reset: 'Wachtwoord vergeten?',
    resetSent: 'Als er een account bestaat, hebben we je een e-mail gestuurd om je wachtwoord te wijzigen.',
    email: 'E-mail', password: 'Wachtwoord', name: 'Naam', marketing: 'Stuur me nieuws en aanbiedingen per e-mail',
    hello: 'Hallo {{name}}', notifications: 'Meldingen', notifOrders: 'Mijn bestellingen', notifPromotions: 'Aanbiedingen', notifNew: 'Nieuw binnen',
    pushAsk: 'Zet meldingen aan om te weten wanneer je bestelling klaar is.', pushEnable: 'Meldingen aanzetten',
    pushDenied: 'Meldingen staan uit. Je kan ze aanzetten in de instellingen van je telefoon.',
    delete: 'Mijn account verwijderen', deleteConfirm: 'Mijn account definitief verwijderen', deleted: 'Je account is verwijderd.',
    haveAccount: 'Ik heb al een account', noAccount: 'Ik ben nieuw hier', invalid: 'Verkeerd e-mailadres of wachtwoord.',
  },
};

export default nl;
