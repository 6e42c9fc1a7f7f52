// The payment of a pro order with Stripe's Payment Element (card,
// Bancontact): Stripe.js confirms the PaymentIntent, then sends the buyer
// to the order page (return_url); Stripe's webhook confirms the order.
(function () {
  'use strict';
  var form = document.getElementById('payment-form');
  if (!form) return;
  var data = form.dataset;
  var button = document.getElementById('pay');
  var message = document.getElementById('payment-message');

  function show(text) {
    message.textContent = text;
    message.hidden = false;
  }

  if (typeof window.Stripe !== 'function' || !data.key || !data.secret) {
    button.disabled = true;
    show(data.unavailable);
    return;
  }
  var stripe = window.Stripe(data.key, {locale: data.locale});
  var elements = stripe.elements({clientSecret: data.secret,
    locale: data.locale});
  elements.create('payment', {layout: 'tabs'}).mount('#payment-element');

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    button.disabled = true;
    message.hidden = true;
    Promise.resolve().then(function () {
      return stripe.confirmPayment({elements: elements,
        confirmParams: {return_url: data.returnUrl}});
    }).then(function (result) {
      // only reached when Stripe refuses at once: otherwise the browser
      // already goes to return_url
      if (result && result.error) show(result.error.message || data.unavailable);
    }, function () {
      show(data.unavailable);
    }).then(function () {
      button.disabled = false;
    });
  });
})();
