"""Customer accounts opened by a customer channel (the app, the site): a
party and a Tryton web user (argon2 password) whose e-mail address is
confirmed by the web user's own e-mail (in the party's language).

Registering an address that already has an account creates nothing and
tells its owner by e-mail: the channel answers the same either way, after
the same costly work (no account enumeration)."""
from trytond.pool import Pool


def check_password(password, email, name=None):
    "Raise the domain's ValidationError when password is too easy to guess"
    from urban_catalog import password as policy
    policy.check_password(password, email=email, name=name)


def _lang(code):
    Lang = Pool().get('ir.lang')
    langs = Lang.search([('code', '=', code)], limit=1)
    return langs[0].id if langs else None


def tell_account_exists(email, language):
    "Queue the e-mail that tells email's owner they already have an account"
    from urban_loyalty import notify
    Mail = Pool().get('urban.mail')
    language = language if language in notify.LANGUAGES else 'fr'
    Mail.send_later([(email,
                notify.render('account_exists', 'subject', language),
                notify.render('account_exists', 'body', language), None)])


def register(email, password, name, language, marketing_consent=False):
    """Create the customer (party and web user) of email and queue the
    e-mail address verification, or tell the owner of a known address;
    the new web user or None. Raises the password policy's
    ValidationError first, whatever the address."""
    pool = Pool()
    WebUser = pool.get('web.user')
    Party = pool.get('party.party')
    email = email.strip().lower()
    # The same costly work for a new and a known address: one strength
    # check, one password hash, one e-mail queued (sent by the queue
    # worker, not by the request).
    check_password(password, email, name)
    password_hash = WebUser.hash_password(password)
    if WebUser.search([('email', '=', email)], limit=1):
        tell_account_exists(email, language)
        return None
    party, = Party.create([{
                'name': name.strip(),
                'lang': _lang(language),
                'marketing_consent': marketing_consent,
                'contact_mechanisms': [('create', [{
                                'type': 'email', 'value': email}])],
                }])
    # the hash above: set_password would check and hash it again
    user, = WebUser.create([{
                'email': email,
                'password_hash': password_hash,
                'party': party.id,
                }])
    WebUser.__queue__.validate_email([user])
    return user
