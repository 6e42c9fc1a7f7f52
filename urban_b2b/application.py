"""Applications for a pro account: the public form creates one (pending),
the B2B manager approves or refuses it in the back office; the applicant is
e-mailed either way. Approving creates the company (party with its VAT
number, Peppol identifier, address, category) and its first buyer (web user
with the password chosen on the form).

A VAT number is public (VIES): an application carrying the VAT number of an
existing pro company never joins it silently. The form shows the match
(`existing_company`, `vat_warning`); approving it as a new company is
refused; only the explicit "Join Existing Company" decision adds the
applicant as one more buyer of that company (its orders, invoices and
payment terms), recorded with who and when (`decision`, `decided_by`,
`decided_at`), and the company's other buyers are told by e-mail."""
import datetime
import logging
import re

from stdnum import ean, get_cc_module
from stdnum.eu import vat as eu_vat

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from urban_catalog.password import check_password

from . import mail

logger = logging.getLogger(__name__)

EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')
# control characters and line separators, never part of a form's text
CONTROL = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029]')
TEXT_FIELDS = ('company_name', 'vat_number', 'peppol_id', 'street',
    'postal_code', 'city', 'contact_name', 'email', 'phone')
PEPPOL = re.compile(r'^(\d{4}):([A-Za-z0-9.\-]{1,50})$')


def compact_vat(number, country='BE'):
    """The VAT number compacted with its country prefix, or None when it is
    not a valid EU VAT number (check digits included: Belgian numbers are
    checked by stdnum's be.vat)"""
    number = (number or '').strip().upper().replace(' ', '')
    if not number:
        return None
    if not number[:2].isalpha() and country:
        number = country.upper() + number
    if not eu_vat.is_valid(number):
        return None
    return eu_vat.compact(number)


def check_peppol(identifier):
    """The Peppol participant identifier scheme:value compacted, or None
    when invalid: 0208 (Belgian enterprise number) and 99xx VAT schemes are
    checked by stdnum, 0088 (GLN) by its check digit."""
    identifier = (identifier or '').strip().replace(' ', '')
    match = PEPPOL.match(identifier)
    if not match:
        return None
    scheme, value = match.groups()
    if scheme == '0208':
        be_vat = get_cc_module('be', 'vat')
        if not be_vat.is_valid(value):
            return None
        value = be_vat.compact(value)
    elif scheme == '0088':
        if len(value) != 13 or not ean.is_valid(value):
            return None
    elif scheme.startswith('99') and value[:2].isalpha():
        if not eu_vat.is_valid(value):
            return None
        value = eu_vat.compact(value)
    return '%s:%s' % (scheme, value)


class Application(Workflow, ModelSQL, ModelView):
    "Pro Account Application"
    __name__ = 'urban.b2b.application'

    _states = {'readonly': Eval('state') != 'pending'}

    company_name = fields.Char("Company", required=True, states=_states)
    vat_number = fields.Char("VAT Number", required=True, states=_states)
    peppol_id = fields.Char("Peppol ID", states=_states,
        help="Participant identifier scheme:value, e.g. 0208:0403170701.")
    category = fields.Many2One('urban.b2b.category', "Kind of Shop",
        required=True, ondelete='RESTRICT', states=_states)
    street = fields.Char("Street", required=True, states=_states)
    postal_code = fields.Char("Postal Code", required=True, states=_states)
    city = fields.Char("City", required=True, states=_states)
    country = fields.Many2One('country.country', "Country", required=True,
        ondelete='RESTRICT', states=_states)
    contact_name = fields.Char("Contact", required=True, states=_states)
    email = fields.Char("E-mail", required=True, states=_states)
    phone = fields.Char("Phone", states=_states)
    language = fields.Selection([
            ('fr', "French"),
            ('nl', "Dutch"),
            ('en', "English"),
            ], "Language", required=True, states=_states)
    password_hash = fields.Char("Password Hash", readonly=True,
        loading='lazy')
    state = fields.Selection([
            ('pending', "Pending"),
            ('approved', "Approved"),
            ('refused', "Refused"),
            ], "State", readonly=True, required=True, sort=False)
    refusal_reason = fields.Text("Refusal Reason", readonly=True,
        states={'invisible': Eval('state') != 'refused'})
    existing_company = fields.Function(fields.Many2One('party.party',
            "Existing Company With This VAT Number",
            states={'invisible': ~Eval('existing_company')}),
        'get_existing_company')
    vat_warning = fields.Function(fields.Text("VAT Warning",
            states={'invisible': ~Eval('vat_warning')}),
        'get_vat_warning')
    decision = fields.Selection([
            (None, ""),
            ('new_company', "New Company"),
            ('joined_company', "Joined Existing Company"),
            ('refused', "Refused"),
            ], "Decision", readonly=True,
        help="What the B2B manager decided (see Decided By and At).")
    party = fields.Many2One('party.party', "Company Party", readonly=True)
    user = fields.Many2One('web.user', "Buyer", readonly=True)
    decided_at = fields.Timestamp("Decided At", readonly=True)
    decided_by = fields.Many2One('res.user', "Decided By", readonly=True)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('pending', 'approved'),
            ('pending', 'refused'),
            }
        cls._buttons.update({
                'approve': {
                    'invisible': ((Eval('state') != 'pending')
                        | Eval('existing_company')),
                    'depends': ['state', 'existing_company'],
                    },
                'join_company': {
                    'invisible': ((Eval('state') != 'pending')
                        | ~Eval('existing_company')),
                    'depends': ['state', 'existing_company'],
                    },
                'refuse': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'pending'

    @classmethod
    def default_language(cls):
        return 'fr'

    def get_rec_name(self, name):
        return '%s (%s)' % (self.company_name, self.vat_number)

    def get_existing_company(self, name):
        if self.state == 'pending':
            company = self.find_company(any_state=True)
            return company.id if company else None
        return None

    def get_vat_warning(self, name):
        if self.state != 'pending' or not self.existing_company:
            return None
        company = self.existing_company
        return gettext('urban_b2b.msg_application_vat_match',
            number=self.vat_number, company=company.rec_name,
            buyers=len(company.b2b_buyers))

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'email' in values and values['email']:
            values['email'] = values['email'].strip().lower()
        if values.get('vat_number'):
            country = None
            if values.get('country'):
                country = Pool().get('country.country')(values['country'])
            vat = compact_vat(values['vat_number'],
                country.code if country else 'BE')
            if vat:
                values['vat_number'] = vat
        if values.get('peppol_id'):
            values['peppol_id'] = (check_peppol(values['peppol_id'])
                or values['peppol_id'])
        return values

    @classmethod
    def validate_fields(cls, applications, field_names):
        super().validate_fields(applications, field_names)
        for application in applications:
            application.check_fields()

    def check_fields(self):
        if not compact_vat(self.vat_number,
                self.country.code if self.country else 'BE'):
            raise ValidationError(gettext(
                    'urban_b2b.msg_invalid_vat', number=self.vat_number))
        if self.peppol_id and not check_peppol(self.peppol_id):
            raise ValidationError(gettext(
                    'urban_b2b.msg_invalid_peppol', identifier=self.peppol_id))
        if not EMAIL.match(self.email or ''):
            raise ValidationError(gettext(
                    'urban_b2b.msg_invalid_email', email=self.email))
        self.check_texts()

    def check_texts(self):
        "No control characters (nor line separators) in the form's texts"
        for name in TEXT_FIELDS:
            value = getattr(self, name, None) or ''
            if CONTROL.search(value):
                raise ValidationError(gettext(
                        'urban_b2b.msg_control_characters'))

    @classmethod
    def submit(cls, values, password):
        """The application of the public form (values: field values,
        password: the buyer's password, stored hashed); the applicant is
        told it was received. When the e-mail already belongs to a buyer or
        to a pending application nothing is created (None is returned) and
        the address's owner is told so by e-mail instead: the form answers
        the same either way, in about the same time (no account
        enumeration). A password too easy to guess is refused
        (ValidationError) whatever the address."""
        pool = Pool()
        WebUser = pool.get('web.user')
        email = (values.get('email') or '').strip().lower()
        check_password(password, email=email,
            name=values.get('contact_name'))
        # the same checks and the same password hashing for a known and
        # a new address
        cls(**values).check_fields()
        password_hash = WebUser.hash_password(password)
        # either way the e-mails are queued (urban.mail): none is sent by
        # the request
        Mail = pool.get('urban.mail')
        if WebUser.search([('email', '=', email)], limit=1) or cls.search([
                    ('email', '=', email), ('state', '=', 'pending')],
                limit=1):
            Mail.send_later([mail.message(email, 'exists',
                        values.get('language') or 'fr', {
                            'contact': values.get('contact_name'),
                            'url': cls._portal_url(),
                            })])
            return None
        application, = cls.create([dict(values,
                    password_hash=password_hash)])
        messages = [mail.message(application.email, 'received',
                application.language, application._mail_values())]
        manager = Pool().get('urban.b2b.configuration')(1).manager_email
        if manager:
            messages.append(mail.message(manager, 'received', 'en',
                    application._mail_values()))
        Mail.send_later(messages)
        return application

    @staticmethod
    def _portal_url():
        from urban_catalog.site import site_url
        return site_url() + '/pro/'

    def _mail_values(self):
        return {
            'contact': self.contact_name,
            'company': self.company_name,
            'reason': self.refusal_reason,
            'url': self._portal_url(),
            }

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, applications):
        """Approve as a new company: refused while the VAT number belongs
        to an existing pro company (see join_company)"""
        for application in applications:
            company = application.find_company(any_state=True)
            if company:
                raise UserError(gettext(
                        'urban_b2b.msg_application_vat_taken',
                        application=application.rec_name,
                        company=company.rec_name))
            application._open_buyer(application.create_company(),
                'new_company')
        cls.save(applications)

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def join_company(cls, applications):
        """The explicit decision to add the applicant as one more buyer of
        the approved company with the application's VAT number (its
        orders, invoices and payment terms); its buyers are told"""
        for application in applications:
            company = application.find_company(any_state=True)
            if not company or company.b2b_state != 'approved':
                raise UserError(gettext(
                        'urban_b2b.msg_application_no_company',
                        application=application.rec_name))
            others = [u.email for u in company.b2b_buyers
                if u.active and u.email]
            application._open_buyer(company, 'joined_company')
            logger.info("Pro application %s joined company %s (party %s) "
                "by user %s", application.id, company.rec_name, company.id,
                application.decided_by.id if application.decided_by
                else None)
            values = dict(application._mail_values(),
                buyer=application.email)
            for email in others:
                mail.send(email, 'buyer_added',
                    company.lang.code if company.lang else 'fr', values)
        cls.save(applications)

    def _open_buyer(self, party, decision):
        "Create the buyer of party and record the decision"
        WebUser = Pool().get('web.user')
        if WebUser.search([('email', '=', self.email)], limit=1):
            raise ValidationError(gettext('urban_b2b.msg_email_taken'))
        user, = WebUser.create([{
                    'email': self.email,
                    'password_hash': self.password_hash,
                    'email_valid': True,
                    'party': party.id,
                    }])
        self.party = party
        self.user = user
        self.decision = decision
        self.decided_at = self._now()
        self.decided_by = Transaction().user or None
        mail.send(self.email, 'approved', self.language, self._mail_values())

    @classmethod
    @ModelView.button_action('urban_b2b.wizard_application_refuse')
    def refuse(cls, applications):
        pass

    @classmethod
    @Workflow.transition('refused')
    def do_refuse(cls, applications, reason):
        for application in applications:
            application.refusal_reason = reason
            application.decision = 'refused'
            application.decided_at = application._now()
            application.decided_by = Transaction().user or None
            mail.send(application.email, 'refused', application.language,
                application._mail_values())
        cls.save(applications)

    @staticmethod
    def _now():
        return datetime.datetime.now()

    def find_company(self, any_state=False):
        """The approved company with the application's VAT number (any_state:
        also a suspended one)"""
        Identifier = Pool().get('party.identifier')
        states = ['approved', 'suspended'] if any_state else ['approved']
        with Transaction().set_context(active_test=False):
            identifiers = Identifier.search([
                    ('code', '=', self.vat_number),
                    ('type', '=', 'eu_vat'),
                    ('party.b2b_state', 'in', states),
                    ], order=[('id', 'ASC')])
        parties = sorted({i.party for i in identifiers},
            key=lambda p: (p.b2b_state != 'approved', p.id))
        return parties[0] if parties else None

    def create_company(self):
        pool = Pool()
        Party = pool.get('party.party')
        Lang = pool.get('ir.lang')
        langs = Lang.search([('code', '=', self.language)], limit=1)
        identifiers = [{'type': 'eu_vat', 'code': self.vat_number}]
        if self.peppol_id and self.peppol_id.startswith('0208:'):
            identifiers.append({'type': 'be_businessid',
                    'code': self.peppol_id.split(':', 1)[1]})
        contacts = [{'type': 'email', 'value': self.email}]
        if self.phone:
            contacts.append({'type': 'phone', 'value': self.phone})
        party, = Party.create([{
                    'name': self.company_name,
                    'lang': langs[0].id if langs else None,
                    'b2b_state': 'approved',
                    'b2b_category': self.category.id,
                    'identifiers': [('create', identifiers)],
                    'contact_mechanisms': [('create', contacts)],
                    'addresses': [('create', [{
                                    'street': self.street,
                                    'postal_code': self.postal_code,
                                    'city': self.city,
                                    'country': self.country.id,
                                    }])],
                    }])
        if self.peppol_id:
            party.peppol_types = ['bis-billing-3']
            party.save()
        return party


class RefuseStart(ModelView):
    "Refuse Pro Application"
    __name__ = 'urban.b2b.application.refuse.start'

    reason = fields.Text("Reason", required=True,
        help="Sent to the applicant in the refusal e-mail.")


class Refuse(Wizard):
    "Refuse Pro Application"
    __name__ = 'urban.b2b.application.refuse'

    start = StateView('urban.b2b.application.refuse.start',
        'urban_b2b.application_refuse_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Refuse", 'refuse', 'tryton-ok', default=True),
            ])
    refuse = StateTransition()

    def transition_refuse(self):
        Application = Pool().get('urban.b2b.application')
        applications = [a for a in self.records if a.state == 'pending']
        Application.do_refuse(applications, self.start.reason)
        return 'end'
