"""Customer accounts: /auth/... and /me.

Accounts are Tryton web users (web_user) linked to a party: argon2
passwords, e-mail validation and password reset e-mails (Tryton's
translated templates, sent through trytond.sendmail when the transaction
commits), sessions as bearer tokens, login attempts rate-limited per e-mail
and per IP network (`[session] max_attempt`, `max_attempt_ip_network`)."""
import datetime as dt

from trytond.exceptions import UserError
from trytond.transaction import Transaction

from . import api
from . import auth as accounts
from . import schemas_auth as schemas

TAGS = ['auth']


def _lang(pool, code):
    Lang = pool.get('ir.lang')
    langs = Lang.search([('code', '=', code)], limit=1)
    return langs[0].id if langs else None


def _iso(value):
    return api.utc(value).isoformat() if value else None


def user_schema(user):
    party = user.party
    language = party.lang.code if party and party.lang else None
    return schemas.User(
        id=user.id,
        email=user.email,
        email_verified=bool(user.email_valid),
        name=(party.name if party else None) or '',
        language=language if language in api.LANGUAGES
        else api.DEFAULT_LANGUAGE,
        consent=schemas.Consent(
            marketing=bool(party and party.marketing_consent),
            marketing_changed_at=_iso(party.marketing_consent_date)
            if party else None))


def session_schema(pool, user):
    Session = pool.get('web.user.session')
    key = user.new_session()
    expires = dt.datetime.now(dt.timezone.utc) + Session.timeout()
    return schemas.Session(token=key, expires_at=expires.isoformat(),
        user=user_schema(user))


def _email(value):
    return value.strip().lower()


@api.endpoint('POST', '/auth/register', summary="Create an account",
    tags=TAGS, body=schemas.Register, response=schemas.Accepted, status=202,
    errors=(422,))
def register(call):
    """Creates the customer (party) and the web user and sends the e-mail
    address verification in the chosen language; then log in. For an
    address that already has an account nothing is created and its owner is
    told so by e-mail: the answer is the same either way, in about the same
    time (no account enumeration). A password that is too easy to guess is
    refused (422) whatever the address."""
    from urban_checkout import account
    body = call.body
    try:
        account.register(_email(body.email), body.password, body.name,
            body.language, marketing_consent=body.marketing_consent)
    except UserError as error:
        raise api.Problem(422, 'weak_password', error.message)
    return schemas.Accepted(detail=REGISTERED)


REGISTERED = ("Check your e-mail: it confirms the address, or tells you "
    "that it already has an account. You can log in now.")


def _check_password(password, email, name=None):
    "422 with the domain's message when the password is too easy to guess"
    from urban_catalog import password as policy
    try:
        policy.check_password(password, email=email, name=name)
    except UserError as error:
        raise api.Problem(422, 'weak_password', error.message)


def _send(to, kind, language, later=False):
    """E-mail kind to the address to in language; later: by the queue
    (urban.mail), not when the request commits"""
    from trytond.pool import Pool
    from urban_loyalty import notify
    language = language if language in notify.LANGUAGES else 'fr'
    subject = notify.render(kind, 'subject', language)
    body = notify.render(kind, 'body', language)
    if later:
        Pool().get('urban.mail').send_later([(to, subject, body, None)])
    else:
        notify.send_email(to, subject, body)


@api.endpoint('POST', '/auth/verify-email',
    summary="Confirm the e-mail address", tags=TAGS,
    body=schemas.VerifyEmail, response=schemas.User, errors=(400,))
def verify_email(call):
    "The token comes from the link of the verification e-mail."
    WebUser = call.pool.get('web.user')
    users = WebUser.validate_email_token([call.body.token])
    if not users:
        raise api.Problem(400, 'invalid_token',
            "This verification link is invalid or was already used")
    return user_schema(users[0])


@api.endpoint('POST', '/auth/login', summary="Log in", tags=TAGS,
    body=schemas.Login, response=schemas.Session, errors=(401, 429))
def login(call):
    """Opens a session; repeated failures for an e-mail or from a network
    are answered 429 for a while."""
    WebUser = call.pool.get('web.user')
    user = WebUser.authenticate(_email(call.body.email), call.body.password)
    if not user:
        # returned, not raised: the failed attempt must be committed for
        # the rate limit to count it
        return api.Problem(401, 'invalid_credentials',
            "Wrong e-mail or password").response(call.request.path)
    return session_schema(call.pool, user)


@api.endpoint('POST', '/auth/logout', summary="Log out", tags=TAGS,
    auth='required', status=204)
def logout(call):
    Session = call.pool.get('web.user.session')
    Session.remove(call.session)


@api.endpoint('POST', '/auth/password-reset',
    summary="Ask for a password reset e-mail", tags=TAGS,
    body=schemas.PasswordReset, response=schemas.Accepted, status=202)
def password_reset(call):
    """Always accepted, whether an account exists or not (no account
    enumeration): the e-mail carries the token, or tells that the address
    has no account (once a day at most, as a reset link is sent at most
    once while it is valid)."""
    WebUser = call.pool.get('web.user')
    Throttle = call.pool.get('urban.throttle')
    email = _email(call.body.email)
    users = WebUser.search([('email', '=', email)], limit=1)
    # either way one e-mail queued, none sent by the request
    if users:
        WebUser.__queue__.reset_password(users)
    elif Throttle.hit('password_reset_unknown', email, 1, 24 * 3600) is None:
        _send(email, 'reset_unknown', call.language, later=True)
    return schemas.Accepted(
        detail="If an account exists, an e-mail is on its way.")


@api.endpoint('POST', '/auth/password-reset/confirm',
    summary="Set a new password with the e-mailed token", tags=TAGS,
    body=schemas.PasswordResetConfirm, status=204, errors=(400, 422, 429))
def password_reset_confirm(call):
    """Every session of the account is closed. A password that is too easy
    to guess is refused (422) and the token stays valid. Wrong tokens are
    counted as failed logins: past the limit, 429 with Retry-After."""
    pool = call.pool
    WebUser = pool.get('web.user')
    Session = pool.get('web.user.session')
    body = call.body
    email = _email(body.email)
    # without the account's name here: the answer must not depend on
    # whether the account exists (web.user checks it with its name)
    _check_password(body.password, email)
    try:
        changed = WebUser.set_password_token(email, body.token,
            body.password)
    except UserError as error:
        Transaction().rollback()
        raise api.Problem(422, 'weak_password', error.message)
    if not changed:
        # returned, not raised: the failed attempt is committed
        return api.Problem(400, 'invalid_token',
            "This reset link is invalid or has expired").response(
            call.request.path)
    users = WebUser.search([('email', '=', email)], limit=1)
    Session.delete(Session.search([('user', 'in', [u.id for u in users])]))


@api.endpoint('GET', '/me', summary="The logged-in customer", tags=TAGS,
    auth='required', response=schemas.User)
def me(call):
    return user_schema(call.user)


@api.endpoint('PATCH', '/me', summary="Update name, language or consent",
    tags=TAGS, auth='required', body=schemas.MeUpdate,
    response=schemas.User)
def update_me(call):
    pool = call.pool
    Party = pool.get('party.party')
    WebUser = pool.get('web.user')
    body = call.body
    values = {}
    if body.name is not None:
        values['name'] = body.name.strip()
    if body.language is not None:
        values['lang'] = _lang(pool, body.language)
    if body.marketing_consent is not None:
        values['marketing_consent'] = body.marketing_consent
    user = call.user
    if not user.party:
        party, = Party.create([{'name': values.get('name', user.email)}])
        WebUser.write([user], {'party': party.id})
    if values:
        Party.write([user.party], values)
    return user_schema(WebUser(user.id))


@api.endpoint('GET', '/me/export', summary="Export my data (GDPR)",
    tags=TAGS, auth='required', response=schemas.Export)
def export_me(call):
    "Identity, addresses, contacts, consents and orders as JSON."
    data = accounts.export_user(call.user)
    call.headers['Cache-Control'] = 'no-store'
    return schemas.Export(user=user_schema(call.user),
        exported_at=dt.datetime.now(dt.timezone.utc).isoformat(), **data)


@api.endpoint('DELETE', '/me', summary="Close my account (GDPR)",
    tags=TAGS, auth='required', status=204, errors=(409,))
def delete_me(call):
    """Deactivates the account and anonymises the customer; orders are
    kept for the accounts. Refused (409) while an order is open."""
    with Transaction().set_context(active_test=False):
        accounts.erase_user(call.user)
