
// urbantherapy.emulators.localstripe_server: Stripe.js's confirmPayment
// (Payment Element) and confirmCardPayment with a card element, as
// Stripe.js does them: the PaymentIntent is confirmed with the publishable
// key and the client secret, the card typed in the element as payment
// method; 3-D Secure then goes through localstripe's own question.
(function () {
  const localStripe = window.Stripe;

  // Stripe.js says its errors in the page's locale (Stripe(key, {locale}))
  const MESSAGES = {
    card_declined: {fr: 'Votre carte a été refusée.',
      nl: 'Je kaart is geweigerd.', en: 'Your card was declined.'},
    incomplete_number: {fr: 'Le numéro de votre carte est incomplet.',
      nl: 'Je kaartnummer is onvolledig.',
      en: 'Your card number is incomplete.'},
  };

  function localised(error, locale) {
    const texts = MESSAGES[error.code];
    const language = String(locale || 'en').slice(0, 2);
    return texts ? Object.assign({}, error,
      {message: texts[language] || texts.en}) : error;
  }

  async function confirmIntent(apiKey, clientSecret, element) {
    const intent = clientSecret.match(/^(pi_\w+)_secret_/)[1];
    const typed = (element && element.value && element.value.card) || {};
    // the element hands over the digits only, as Stripe's does
    const card = Object.assign({}, typed,
      {number: String(typed.number || '').replace(/\s+/g, '')});
    const response = await fetch(
      `${LOCALSTRIPE_BASE_API}/v1/payment_intents/${intent}/confirm`, {
        method: 'POST',
        body: JSON.stringify({
          key: apiKey,
          client_secret: clientSecret,
          payment_method_data: {type: 'card', card: card},
        }),
      });
    const body = await response.json().catch(() => ({}));
    if (response.status !== 200 || body.error) {
      return {error: body.error || {message: 'Your card was declined.'}};
    }
    return {paymentIntent: body};
  }

  window.Stripe = Stripe = function (apiKey, options) {
    const stripe = localStripe(apiKey, options);
    const elements = stripe.elements;
    const authenticate = stripe.confirmCardPayment;

    async function confirm(clientSecret, element) {
      const result = await confirmIntent(apiKey, clientSecret, element);
      if (result.error) {
        return {error: localised(result.error, options && options.locale)};
      }
      if (result.paymentIntent.status === 'requires_action') {
        return authenticate(clientSecret);
      }
      return result;
    }

    stripe.elements = function (elementsOptions) {
      const group = elements(elementsOptions);
      group._clientSecret = elementsOptions && elementsOptions.clientSecret;
      return group;
    };
    stripe.confirmCardPayment = async function (clientSecret, data) {
      const card = data && data.payment_method && data.payment_method.card;
      return confirm(clientSecret, card);
    };
    stripe.confirmPayment = async function (params) {
      const group = params.elements;
      const clientSecret = params.clientSecret || group._clientSecret;
      const result = await confirm(clientSecret, group.getElement('payment'));
      if (result.error || (params.redirect === 'if_required'
          && result.paymentIntent.status !== 'requires_action')) {
        return result;
      }
      const returnUrl = new URL(params.confirmParams.return_url);
      returnUrl.searchParams.set('payment_intent', result.paymentIntent.id);
      returnUrl.searchParams.set('payment_intent_client_secret', clientSecret);
      returnUrl.searchParams.set('redirect_status',
        result.paymentIntent.status === 'succeeded' ? 'succeeded' : 'failed');
      window.location.assign(returnUrl.toString());
      return {};
    };
    return stripe;
  };
})();
