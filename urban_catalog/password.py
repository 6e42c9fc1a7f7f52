# Password policy of the web users (customers of the app and the web shop,
# pro buyers): instead of a bare minimum length, zxcvbn estimates how many
# guesses the password takes, knowing common passwords, English words, the
# person's own e-mail address and name, and a small list of French, Dutch and
# shop words that its English dictionaries miss. Checked when a web user's
# password is set (every channel) and by the forms before they store a hash.
import re

import zxcvbn

from trytond.i18n import gettext
from trytond.model.exceptions import ValidationError
from trytond.pool import PoolMeta

MIN_SCORE = 3       # zxcvbn: "safely unguessable", >= 10^8 guesses
MIN_LENGTH = 8
MAX_LENGTH = 128
# Words an attacker tries first against a Belgian concept store: our name,
# what we sell, where the shops are, and the usual FR/NL password words.
WORDS = (
    'urban', 'therapy', 'urbantherapy', 'boutique', 'winkel', 'shop',
    'magasin', 'conceptstore', 'concept', 'store', 'boho', 'lifestyle',
    'ceramique', 'keramiek', 'textile', 'bijoux', 'juwelen', 'plante',
    'planten', 'cadeau', 'geschenk', 'maison', 'huis', 'pro',
    'bruxelles', 'brussel', 'brussels', 'gent', 'gand', 'antwerpen',
    'anvers', 'liege', 'luik', 'namur', 'namen', 'leuven', 'louvain',
    'vilvoorde', 'belgique', 'belgie', 'belgium', 'dansaert',
    'motdepasse', 'wachtwoord', 'paswoord', 'bonjour', 'salut', 'merci',
    'bedankt', 'hallo', 'welkom', 'bienvenue', 'soleil', 'zon', 'amour',
    'liefde', 'chocolat', 'chocolade', 'azerty', 'qsdfgh', 'wxcvbn',
    'coucou', 'doudou', 'chouchou', 'printemps', 'lente', 'zomer', 'ete',
    'automne', 'herfst', 'hiver', 'winter', 'papa', 'mama', 'maman',
    'famille', 'familie', 'kapoen', 'schat', 'cherie', 'loulou',
    )
_SPLIT = re.compile(r'[^\w]+|_', re.UNICODE)


def user_inputs(email=None, name=None):
    "The words of the person's e-mail address and name, plus WORDS"
    inputs = []
    for value in (email, name):
        value = (value or '').strip().lower()
        if not value:
            continue
        inputs.append(value)
        inputs.extend(w for w in _SPLIT.split(value) if len(w) > 1)
    inputs.extend(WORDS)
    return list(dict.fromkeys(inputs))


def strength(password, email=None, name=None):
    "zxcvbn's score (0 to 4) of password for this person"
    if not password:
        return 0
    # zxcvbn's cost grows with the length: what follows MAX_LENGTH adds
    # nothing to the estimate of a password that long anyway
    return zxcvbn.zxcvbn(password[:MAX_LENGTH],
        user_inputs=user_inputs(email, name))['score']


def _own_words_only(password, email=None, name=None):
    """Whether password is little more than the person's own words (zxcvbn
    scores two of them with a separator high enough)"""
    rest = (password or '').lower()
    own = sorted((w for w in user_inputs(email, name)[:-len(WORDS)]
            if len(w) >= 3), key=len, reverse=True)
    for word in own:
        rest = rest.replace(word, '')
    return len(re.sub(r'[^a-z]', '', rest)) < 4


def is_strong(password, email=None, name=None):
    return (MIN_LENGTH <= len(password or '') <= MAX_LENGTH
        and strength(password, email, name) >= MIN_SCORE
        and not _own_words_only(password, email, name))


def check_password(password, email=None, name=None):
    "Raise a ValidationError unless password is strong enough"
    if not is_strong(password, email, name):
        raise ValidationError(gettext('urban_catalog.msg_password_weak',
                minimum=MIN_LENGTH))


class WebUser(metaclass=PoolMeta):
    __name__ = 'web.user'

    @classmethod
    def set_password(cls, users, name, value):
        # 'x' * 10 is what get_password shows: the password is unchanged
        if value and value != 'x' * 10:
            for user in users:
                check_password(value, email=user.email,
                    name=user.party.name if user.party else None)
        super().set_password(users, name, value)
