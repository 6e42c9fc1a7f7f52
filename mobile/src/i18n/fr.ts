import type {Texts} from './en';

const fr: Texts = {
  appName: 'Urban Therapy',
  tagline: 'Slow living, déco bohème et idées cadeaux',
  nav: {home: 'Accueil', search: 'Recherche', cart: 'Panier', orders: 'Mes commandes', account: 'Compte'},
  common: {
    retry: 'Réessayer', loading: 'Chargement…', back: 'Retour', save: 'Enregistrer',
    offline: 'Vous êtes hors ligne : voici le catalogue enregistré sur cet appareil.',
    offlineNoData: "Vous êtes hors ligne et cette page n'a pas encore été enregistrée. Vérifiez votre connexion.",
    error: "Un problème est survenu. Veuillez réessayer.",
    language: 'Langue',
  },
  onboarding: {
    title: 'Bienvenue chez Urban Therapy',
    body: "Scannez le QR code dans l'une de nos boutiques, ou tapez le code écrit dessous, pour obtenir 10 % sur votre première commande.",
    code: 'Code de la boutique', codeHint: 'Par exemple GHENT', submit: 'Obtenir ma réduction',
    scan: 'Scanner le QR code', skip: 'Plus tard',
    done: 'Bienvenue de la part de {{shop}} ! Votre code première commande {{code}} vous attend dans le panier.',
    unknown: 'Nous ne connaissons pas ce code de boutique.',
  },
  home: {newArrivals: 'Nouveautés', universes: 'Nos univers', products: '{{count}} produits', seeAll: 'Tout voir', welcomeCode: 'Un code reçu en boutique ?'},
  catalogue: {
    filters: 'Filtres', inStock: 'En stock en ligne', newOnly: 'Nouveautés seulement',
    sort: 'Trier', sortName: 'Nom', sortPriceAsc: 'Prix ↑', sortPriceDesc: 'Prix ↓', sortNew: 'Plus récents',
    priceMax: 'Prix max (€)', empty: 'Aucun produit ne correspond à ces filtres.', more: 'Voir plus',
    availableIn: 'Disponible à {{shops}}', soldOut: 'Épuisé en ligne', from: 'à partir de {{price}}', new: 'Nouveau',
  },
  search: {placeholder: 'Coussins, bougies, plantes…', label: 'Rechercher des produits', empty: 'Aucun produit trouvé pour « {{q}} ».', hint: 'Tapez au moins 2 lettres.'},
  product: {
    variants: 'Choisir', addToCart: 'Ajouter au panier', added: 'Ajouté à votre panier', quantity: 'Quantité',
    availability: 'Disponibilité en boutique', online: '{{count}} disponible(s) en ligne', image: 'Photo {{index}} de {{name}}',
    notFound: "Ce produit n'existe plus.",
  },
  cart: {
    title: 'Votre panier', empty: 'Votre panier est vide.', browse: 'Parcourir le catalogue',
    coupon: 'Code de réduction', apply: 'Appliquer', remove: 'Retirer', checkout: 'Commander',
    subtotal: 'Sous-total (HTVA)', tax: 'TVA', delivery: 'Livraison', total: 'Total',
    increase: 'Un {{name}} de plus', decrease: 'Un {{name}} de moins', removeLine: 'Retirer {{name}}',
    couponApplied: 'Code {{code}} appliqué', loginFirst: 'Connectez-vous ou créez un compte pour commander.',
  },
  checkout: {
    title: 'Commande', clickCollect: 'Click & collect', delivery: 'Livraison à domicile',
    pickShop: 'Retrait à', readyBy: 'Prêt le {{date}}', transfer: "amené d'une autre boutique", unavailable: 'Pas disponible dans cette boutique',
    distance: '{{km}} km', phone: 'Téléphone', phoneHint: 'Pour que la boutique puisse vous joindre',
    address: 'Adresse de livraison', street: 'Rue et numéro', postalCode: 'Code postal', city: 'Localité',
    relay: 'Point relais', relaySearch: 'Chercher des points', relayNone: 'Aucun point relais près de ce code postal.',
    method: 'Mode de livraison', payment: 'Moyen de paiement', card: 'Carte', bancontact: 'Bancontact',
    place: 'Commander et payer {{amount}}', missingShop: 'Choisissez une boutique.', missingPhone: 'Donnez un numéro de téléphone.',
    missingAddress: "Complétez l'adresse.",
  },
  payment: {
    title: 'Paiement', pay: 'Payer {{amount}}', cardLabel: 'Données de la carte', processing: 'En attente de la confirmation du paiement…',
    unavailable: "Le paiement en ligne n'est pas disponible pour l'instant. Réessayez plus tard.",
    failed: 'Le paiement a échoué : {{message}}',
  },
  confirmation: {title: 'Merci !', body: 'La commande {{number}} est payée.', pickup: 'Nous vous prévenons dès qu’elle est prête à {{shop}}.', orders: 'Voir mes commandes'},
  orders: {
    title: 'Mes commandes', empty: 'Pas encore de commande.', number: 'Commande {{number}}', total: 'Total', timeline: 'Suivi',
    status: {
      draft: 'En attente de paiement', quotation: 'En attente de paiement', placed: 'Passée', paid: 'Payée', processing: 'En préparation', confirmed: 'Confirmée',
      preparing: 'En préparation', ready_for_pickup: 'Prête à retirer', ready: 'Prête à retirer', collected: 'Retirée', shipped: 'Expédiée', delivered: 'Livrée',
      done: 'Terminée', cancelled: 'Annulée', cancel: 'Annulée', refunded: 'Remboursée', returned: 'Retournée',
    },
    cancel: 'Annuler la commande', return: 'Retourner des articles', returnReason: 'Pourquoi les retournez-vous ?',
    returnSend: 'Demander le retour', returnDone: 'Demande de retour {{id}} envoyée.',
    loginFirst: 'Connectez-vous pour voir vos commandes.',
  },
  account: {
    title: 'Compte', login: 'Se connecter', logout: 'Se déconnecter', register: 'Créer un compte', reset: 'Mot de passe oublié ?',
    resetSent: 'Si un compte existe, nous vous avons envoyé un e-mail pour changer le mot de passe.',
    email: 'E-mail', password: 'Mot de passe', name: 'Nom', marketing: "Envoyez-moi les nouvelles et les offres par e-mail",
    hello: 'Bonjour {{name}}', notifications: 'Notifications', notifOrders: 'Mes commandes', notifPromotions: 'Offres', notifNew: 'Nouveautés',
    pushAsk: 'Activez les notifications pour savoir quand votre commande est prête.', pushEnable: 'Activer les notifications',
    pushDenied: 'Les notifications sont désactivées. Activez-les dans les réglages du téléphone.',
    delete: 'Supprimer mon compte', deleteConfirm: 'Supprimer définitivement mon compte', deleted: 'Votre compte est supprimé.',
    haveAccount: "J'ai déjà un compte", noAccount: 'Je suis nouveau ici', invalid: 'E-mail ou mot de passe incorrect.',
  },
};

export default fr;
