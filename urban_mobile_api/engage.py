"""The app's side of the engagement rules of urban_loyalty: push delivery of
campaigns, review nudges and cart reminders to the customer's Expo devices,
and the app's fingerprints (devices, payment methods) for the referral abuse
checks. The rules themselves (who, when, how often) stay in urban_loyalty."""
from trytond.pool import Pool, PoolMeta


def party_devices(party, topic=None):
    "Active push devices of the web users of party (following topic)"
    pool = Pool()
    WebUser = pool.get('web.user')
    Device = pool.get('urban.api.push.device')
    users = WebUser.search([('party', '=', party.id)])
    if not users:
        return []
    devices = Device.search([('user', 'in', [u.id for u in users])],
        order=[('id', 'ASC')])
    if topic:
        devices = [d for d in devices if topic in (d.topics or ())]
    return devices


def push(devices, topic, texts, data):
    """Queue {lang: (title, body)} to devices (each in its language);
    returns the messages"""
    Message = Pool().get('urban.api.push.message')
    messages = []
    for device in devices:
        title, body = texts.get(device.language) or texts['en']
        messages.append(Message(device=device, topic=topic, title=title,
                body=body, data=data))
    if messages:
        Message.save(messages)
        Message.__queue__.send(messages)
    return messages


class Campaign(metaclass=PoolMeta):
    __name__ = 'urban.loyalty.campaign'

    def audience_domain(self):
        "Only customers with an app account"
        return super().audience_domain() + [
            ('id', 'in', self._app_party_ids()),
            ]

    def _app_party_ids(self):
        WebUser = Pool().get('web.user')
        return list({u.party.id for u in WebUser.search([
                        ('party', '!=', None),
                        ('active', '=', True),
                        ])})

    def deliver(self, recipient):
        devices = party_devices(recipient.party, self.topic)
        if not devices:
            return super().deliver(recipient)
        data = {'kind': 'campaign', 'campaign_id': self.id,
            'topic': self.topic}
        if self.universe:
            data['universe_id'] = self.universe.id
            slug = getattr(self.universe, 'slug', None)
            if slug:
                data['universe'] = slug
        return bool(push(devices, self.topic, self.texts(), data))


class ReviewNudge(metaclass=PoolMeta):
    __name__ = 'urban.loyalty.review_nudge'

    def deliver(self):
        "A push to the app when the customer has it, else the e-mail"
        from urban_loyalty import notify
        devices = party_devices(self.party, 'orders')
        if devices:
            values = self.values()
            titles = notify.texts('review', 'subject', **values)
            bodies = notify.texts('review', 'push', **values)
            push(devices, 'orders',
                {l: (titles[l], bodies[l]) for l in titles},
                {'kind': 'review', 'shop': self.shop.shop_code,
                    'url': self.shop.google_review_url})
            return 'push'
        return super().deliver()


class CartReminder(metaclass=PoolMeta):
    __name__ = 'urban.loyalty.cart_reminder'

    @classmethod
    def _cart_domain(cls):
        return super()._cart_domain() + [('api_user', '!=', None)]

    def deliver(self, count):
        Device = Pool().get('urban.api.push.device')
        devices = Device.search([('user', '=', self.sale.api_user.id)],
            order=[('id', 'ASC')])
        if not devices:
            return super().deliver(count)
        push(devices, 'orders', self.texts(count),
            {'kind': 'cart', 'quantity': count})
        return 'push'


class Referral(metaclass=PoolMeta):
    __name__ = 'urban.loyalty.referral'

    @classmethod
    def _fingerprints(cls, party):
        """Adds the app's e-mails, push tokens (every device the customer
        ever registered) and the payment methods of their orders"""
        from urban_loyalty.referral import normalise_email
        pool = Pool()
        WebUser = pool.get('web.user')
        Device = pool.get('urban.api.push.device')
        Payment = pool.get('urban.api.payment')
        result = super()._fingerprints(party)
        users = WebUser.search([('party', '=', party.id),
                ('active', 'in', [True, False])])
        result.setdefault('email', set()).update(
            normalise_email(u.email) for u in users if u.email)
        Owner = pool.get('urban.api.push.device.owner')
        user_ids = [u.id for u in users]
        result.setdefault('device', set()).update(
            d.token for d in Device.search([
                    ('user', 'in', user_ids),
                    ('active', 'in', [True, False]),
                    ]))
        # a token that moved to another account stays the previous
        # owner's fingerprint too
        result['device'].update(o.token for o in Owner.search([
                    ('user', 'in', user_ids)]))
        result.setdefault('payment', set()).update(
            p.payment_fingerprint for p in Payment.search([
                    ('sale.party', '=', party.id),
                    ('payment_fingerprint', '!=', None),
                    ]))
        return result
