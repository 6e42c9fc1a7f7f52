// The swatches of a product page: a click shows the chosen variant's
// picture, price and availability and sets the form's variant without
// reloading the page. The swatches are links (?variant=<code>) that work
// without this script; each carries its variant's data attributes.
const swatches = document.querySelector('.swatches');
const form = document.querySelector('form.add-to-cart');

function show(link) {
  const data = link.dataset;
  for (const other of swatches.querySelectorAll('a.swatch')) {
    other.removeAttribute('aria-current');
  }
  link.setAttribute('aria-current', 'true');
  document.getElementById('variant-label').textContent = data.label;
  document.getElementById('variant-price').textContent = data.price;
  form.elements.product.value = data.product;
  const picture = document.querySelector('.gallery img');
  if (picture && data.src) {
    picture.srcset = data.srcset;
    picture.src = data.src;
    picture.width = data.width;
    picture.height = data.height;
    picture.alt = data.alt;
  }
  // statuses in the order of the shops listed; texts from the list itself
  const list = document.querySelector('.stock');
  const statuses = data.stock.split(' ');
  list.querySelectorAll('li > span').forEach((span, index) => {
    set(span, statuses[index], list.dataset);
  });
  set(document.getElementById('online-stock'), data.online, list.dataset);
}

function set(span, status, texts) {
  if (!span || !status) return;
  span.className = status;
  span.textContent = texts[status];
}

if (swatches && form) {
  swatches.addEventListener('click', (event) => {
    const link = event.target.closest('a.swatch');
    // a new tab or window keeps the plain link
    if (!link || event.button || event.ctrlKey || event.metaKey
        || event.shiftKey || event.altKey) return;
    event.preventDefault();
    show(link);
    history.replaceState(null, '', link.href);
    // the language switcher keeps the chosen variant
    const variant = new URL(link.href).searchParams.get('variant');
    for (const other of document.querySelectorAll('.langs a')) {
      const target = new URL(other.href);
      target.searchParams.set('variant', variant);
      other.href = target.href;
    }
  });
}
