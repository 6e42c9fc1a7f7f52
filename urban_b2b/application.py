"""Applications for a pro account: the public form creates one (pending),
the B2B manager approves or refuses it in the back office; the applicant is
e-mailed either way. Approving creates the company (party with its VAT
number, Peppol identifier, address, category) and its first buyer (web user
with the password chosen on the form); an application with the VAT number
of an already approved company adds one more buyer to it."""
import datetime
import re

from stdnum import ean, get_cc_module
from stdnum.eu import vat as eu_vat

from trytond.config import config
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import mail

EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')
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
    password_hash = fields.Char("Password Hash", readonly=True)
    state = fields.Selection([
            ('pending', "Pending"),
            ('approved', "Approved"),
            ('refused', "Refused"),
            ], "State", readonly=True, required=True, sort=False)
    refusal_reason = fields.Text("Refusal Reason", readonly=True,
        states={'invisible': Eval('state') != 'refused'})
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
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'],
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

    @classmethod
    def submit(cls, values, password):
        """The application of the public form (values: field values,
        password: the buyer's password, stored hashed); the applicant is
        told it was received. Refused (ValidationError) when the e-mail
        already belongs to a buyer or to a pending application."""
        pool = Pool()
        WebUser = pool.get('web.user')
        email = (values.get('email') or '').strip().lower()
        if len(password or '') < 10:
            raise ValidationError(gettext('urban_b2b.msg_password_short'))
        if WebUser.search([('email', '=', email)], limit=1) or cls.search([
                    ('email', '=', email), ('state', '=', 'pending')],
                limit=1):
            raise ValidationError(gettext('urban_b2b.msg_email_taken'))
        application, = cls.create([dict(values,
                    password_hash=WebUser.hash_password(password))])
        mail.send(application.email, 'received', application.language,
            application._mail_values())
        manager = Pool().get('urban.b2b.configuration')(1).manager_email
        if manager:
            mail.send(manager, 'received', 'en', application._mail_values())
        return application

    def _mail_values(self):
        return {
            'contact': self.contact_name,
            'company': self.company_name,
            'reason': self.refusal_reason,
            'url': config.get('urban', 'site_url',
                default='http://127.0.0.1:8000').rstrip('/') + '/pro/',
            }

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, applications):
        pool = Pool()
        WebUser = pool.get('web.user')
        for application in applications:
            party = application.find_company() or application.create_company()
            if WebUser.search([('email', '=', application.email)], limit=1):
                raise ValidationError(gettext('urban_b2b.msg_email_taken'))
            user, = WebUser.create([{
                        'email': application.email,
                        'password_hash': application.password_hash,
                        'email_valid': True,
                        'party': party.id,
                        }])
            application.party = party
            application.user = user
            application.decided_at = application._now()
            application.decided_by = Transaction().user or None
            mail.send(application.email, 'approved', application.language,
                application._mail_values())
        cls.save(applications)

    @classmethod
    @ModelView.button_action('urban_b2b.wizard_application_refuse')
    def refuse(cls, applications):
        pass

    @classmethod
    @Workflow.transition('refused')
    def do_refuse(cls, applications, reason):
        for application in applications:
            application.refusal_reason = reason
            application.decided_at = application._now()
            application.decided_by = Transaction().user or None
            mail.send(application.email, 'refused', application.language,
                application._mail_values())
        cls.save(applications)

    @staticmethod
    def _now():
        return datetime.datetime.now()

    def find_company(self):
        "The approved company with the application's VAT number"
        Identifier = Pool().get('party.identifier')
        identifiers = Identifier.search([
                ('code', '=', self.vat_number),
                ('type', '=', 'eu_vat'),
                ('party.b2b_state', '=', 'approved'),
                ], limit=1)
        return identifiers[0].party if identifiers else None

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
