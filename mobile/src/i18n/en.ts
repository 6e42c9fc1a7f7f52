// English texts; fr.ts and nl.ts have the same keys (a jest test checks it).
const en = {
  appName: 'Urban Therapy',
  tagline: 'Slow living, boho homeware and gifts',
  nav: {home: 'Home', search: 'Search', cart: 'Cart', orders: 'My orders', account: 'Account'},
  common: {
    retry: 'Try again', loading: 'Loading…', back: 'Back', save: 'Save',
    offline: 'You are offline: showing the catalogue saved on this device.',
    offlineNoData: 'You are offline and this page was not saved yet. Check your connection.',
    error: 'Something went wrong. Please try again.',
    language: 'Language',
  },
  onboarding: {
    title: 'Welcome to Urban Therapy',
    body: 'Scan the QR code in one of our shops, or type the code written under it, to get 10% off your first order.',
    code: 'Shop code', codeHint: 'For example GHENT', submit: 'Get my discount',
    scan: 'Scan the QR code', skip: 'Skip for now',
    done: 'Welcome from {{shop}}! Your first-order code {{code}} is waiting in your cart.',
    unknown: 'We do not know this shop code.',
  },
  home: {newArrivals: 'New arrivals', universes: 'Our universes', products: '{{count}} products', seeAll: 'See all', welcomeCode: 'Got a code from a shop?'},
  catalogue: {
    filters: 'Filters', inStock: 'In stock online', newOnly: 'New only',
    sort: 'Sort', sortName: 'Name', sortPriceAsc: 'Price ↑', sortPriceDesc: 'Price ↓', sortNew: 'Newest',
    priceMax: 'Max price (€)', empty: 'Nothing matches these filters.', more: 'Show more',
    availableIn: 'Available in {{shops}}', soldOut: 'Sold out online', from: 'from {{price}}', new: 'New',
  },
  search: {placeholder: 'Search cushions, candles, plants…', label: 'Search products', empty: 'No product found for “{{q}}”.', hint: 'Type at least 2 letters.'},
  product: {
    variants: 'Choose', addToCart: 'Add to cart', added: 'Added to your cart', quantity: 'Quantity',
    availability: 'Availability in shops', online: '{{count}} available online', image: 'Photo {{index}} of {{name}}',
    notFound: 'This product does not exist any more.',
  },
  cart: {
    title: 'Your cart', empty: 'Your cart is empty.', browse: 'Browse the catalogue',
    coupon: 'Discount code', apply: 'Apply', remove: 'Remove', checkout: 'Checkout',
    subtotal: 'Subtotal (excl. VAT)', tax: 'VAT', delivery: 'Delivery', total: 'Total',
    increase: 'One more {{name}}', decrease: 'One less {{name}}', removeLine: 'Remove {{name}}',
    couponApplied: 'Code {{code}} applied', loginFirst: 'Log in or create an account to check out.',
  },
  checkout: {
    title: 'Checkout', clickCollect: 'Click & collect', delivery: 'Home delivery',
    pickShop: 'Pick up in', readyBy: 'Ready on {{date}}', transfer: 'brought from another shop', unavailable: 'Not available in this shop',
    distance: '{{km}} km', phone: 'Phone', phoneHint: 'So the shop can reach you',
    address: 'Delivery address', street: 'Street and number', postalCode: 'Postal code', city: 'City',
    relay: 'Pick-up point', relaySearch: 'Find points', relayNone: 'No pick-up point near this postal code.',
    method: 'Delivery method', payment: 'Payment method', card: 'Card', bancontact: 'Bancontact',
    place: 'Place order and pay {{amount}}', missingShop: 'Choose a shop.', missingPhone: 'Give a phone number.',
    missingAddress: 'Complete the address.',
  },
  payment: {
    title: 'Payment', pay: 'Pay {{amount}}', cardLabel: 'Card details', processing: 'Waiting for the payment confirmation…',
    unavailable: 'Online payment is not available right now. Please try again later.',
    failed: 'The payment failed: {{message}}',
  },
  confirmation: {title: 'Thank you!', body: 'Order {{number}} is paid.', pickup: 'We let you know as soon as it is ready in {{shop}}.', orders: 'See my orders'},
  orders: {
    title: 'My orders', empty: 'No order yet.', number: 'Order {{number}}', total: 'Total', timeline: 'Follow-up',
    status: {
      draft: 'Waiting for payment', quotation: 'Waiting for payment', placed: 'Placed', paid: 'Paid', processing: 'Being prepared', confirmed: 'Confirmed',
      preparing: 'Being prepared', ready_for_pickup: 'Ready for pick-up', ready: 'Ready for pick-up', collected: 'Collected', shipped: 'Shipped', delivered: 'Delivered',
      done: 'Done', cancelled: 'Cancelled', cancel: 'Cancelled', refunded: 'Refunded', returned: 'Returned',
    },
    cancel: 'Cancel the order', return: 'Return items', returnReason: 'Why do you return them?',
    returnSend: 'Request the return', returnDone: 'Return request {{id}} sent.',
    loginFirst: 'Log in to see your orders.',
  },
  account: {
    title: 'Account', login: 'Log in', logout: 'Log out', register: 'Create an account', reset: 'Forgot password?',
    resetSent: 'If an account exists, we sent you an e-mail to reset your password.',
    email: 'E-mail', password: 'Password', name: 'Name', marketing: 'Send me news and offers by e-mail',
    hello: 'Hello {{name}}', notifications: 'Notifications', notifOrders: 'My orders', notifPromotions: 'Offers', notifNew: 'New arrivals',
    pushAsk: 'Turn on notifications to know when your order is ready.', pushEnable: 'Turn on notifications',
    pushDenied: 'Notifications are off. You can turn them on in your phone settings.',
    delete: 'Delete my account', deleteConfirm: 'Delete my account for good', deleted: 'Your account is deleted.',
    haveAccount: 'I already have an account', noAccount: 'I am new here', invalid: 'Wrong e-mail or password.',
  },
};

export default en;
export type Texts = typeof en;
