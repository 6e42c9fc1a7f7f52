"""Product pictures drawn locally with Pillow: a calm, warm still life per
universe (no download, deterministic for a given seed)."""
import io
import random

from PIL import Image, ImageDraw, ImageFilter

BACKGROUNDS = ['#f3ece2', '#efe6da', '#ece3d6', '#f5efe6', '#e9dfd1']
PALETTES = {
    'sand': '#d8c3a5', 'terracotta': '#c8734f', 'sage': '#9caf88',
    'midnight': '#2f3e56', 'ochre': '#cc9a3e', 'rose': '#d9a5a0',
    'ivory': '#f1ead8', 'charcoal': '#3c3a38', 'olive': '#7b7d4a',
    'clay': '#b98b6e', 'indigo': '#3b4a7a', 'moss': '#5f7248',
    }


def _shape(draw, kind, box, colour, rng):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if kind == 'vessel':
        draw.rounded_rectangle(
            (x0 + w * .2, y0 + h * .25, x1 - w * .2, y1), radius=int(w * .18),
            fill=colour)
        draw.ellipse((x0 + w * .18, y0 + h * .18, x1 - w * .18, y0 + h * .34),
            fill=colour)
    elif kind == 'bowl':
        draw.chord((x0, y0 - h * .2, x1, y1), 0, 180, fill=colour)
    elif kind == 'textile':
        for i in range(6):
            stripe = y0 + i * h / 6
            draw.rectangle((x0, stripe, x1, stripe + h / 12), fill=colour)
    elif kind == 'ring':
        draw.ellipse(box, outline=colour, width=int(w * .12))
    elif kind == 'paper':
        draw.rectangle((x0 + w * .15, y0, x1 - w * .15, y1), fill=colour)
        draw.line((x0 + w * .25, y0, x0 + w * .25, y1), fill='#ffffff',
            width=4)
    elif kind == 'bottle':
        draw.rounded_rectangle((x0 + w * .3, y0 + h * .3, x1 - w * .3, y1),
            radius=int(w * .08), fill=colour)
        draw.rectangle((x0 + w * .42, y0, x1 - w * .42, y0 + h * .3),
            fill='#3c3a38')
    else:  # leaf
        draw.ellipse((x0 + w * .25, y0, x1 - w * .25, y1), fill=colour)
        draw.line((x0 + w / 2, y0 + h * .1, x0 + w / 2, y1), fill='#f3ece2',
            width=5)


def draw_product(seed, kind, colour_name, size=800):
    "Return JPEG bytes of a product picture"
    rng = random.Random(seed)
    background = rng.choice(BACKGROUNDS)
    image = Image.new('RGB', (size, size), background)
    draw = ImageDraw.Draw(image)
    # soft shadow then the object
    margin = size // 5
    box = (margin, margin + size // 16, size - margin, size - margin // 2)
    shadow = Image.new('L', (size, size), 0)
    ImageDraw.Draw(shadow).ellipse(
        (margin, size - margin, size - margin, size - margin // 3), fill=90)
    shadow = shadow.filter(ImageFilter.GaussianBlur(size // 40))
    image.paste('#b9ab98', mask=shadow)
    _shape(draw, kind, box, PALETTES.get(colour_name, '#c8734f'), rng)
    # a few speckles, as on handmade glaze or paper
    for _ in range(40):
        x, y = rng.randrange(size), rng.randrange(size)
        r = rng.randrange(1, 3)
        draw.ellipse((x - r, y - r, x + r, y + r), fill='#d9cdbd')
    buffer = io.BytesIO()
    image.save(buffer, 'JPEG', quality=82, optimize=True)
    return buffer.getvalue()
