"""Customer service in the orders dashboard and the analytics: a
conversation waiting for the shop longer than the configured delay is a
problem of its shop (seen by that shop's staff, not another's); the first
response time per shop."""
import contextlib
import datetime as dt

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from urbantherapy.testing import ActivatedTestCase
from urban_service.tests.tools import (
    create_customer, create_sale, create_shop, create_staff)


@contextlib.contextmanager
def as_user(user):
    transaction = Transaction()
    with transaction.set_user(user.id), \
            transaction.set_context(_check_access=True):
        yield


class ServiceAnalyticsTestCase(ActivatedTestCase):

    def business(self):
        pool = Pool()
        Conversation = pool.get('urban.service.conversation')
        self.company = create_company()
        self.ghent = create_shop("Ghent", 'GNT')
        self.namur = create_shop("Namur", 'NAM')
        anna = create_customer("Anna", 'anna@example.com')
        with set_company(self.company):
            sale = create_sale(self.company, anna, self.ghent)
        now = dt.datetime.now()
        # waiting for 30 hours, for 2 hours, answered, in Namur for 30 h
        late, recent, answered, namur = [Conversation.start(anna, subject,
                "Hello", title=title, sale=sale if subject == 'order'
                else None) for subject, title in [('order', "Late"),
                    ('other', "Recent"), ('other', "Answered"),
                    ('other', "Namur")]]
        Conversation.write([late, recent, answered], {'shop': self.ghent.id})
        Conversation.write([namur], {'shop': self.namur.id})
        Conversation.write([late, namur], {
                'waiting_since': now - dt.timedelta(hours=30)})
        Conversation.write([recent], {
                'waiting_since': now - dt.timedelta(hours=2)})
        answered.staff_answer("Hi")
        return late, recent, answered, namur

    def problems(self):
        Problem = Pool().get('urban.analytics.problem')
        return {(p.origin.title, p.shop.name) for p in Problem.search(
                [('kind', '=', 'service_unanswered')])}

    @with_transaction()
    def test_unanswered_conversations_are_problems(self):
        pool = Pool()
        Configuration = pool.get('sale.configuration')
        Conversation = pool.get('urban.service.conversation')
        late, recent, answered, namur = self.business()
        self.assertEqual(self.problems(),
            {("Late", "Ghent"), ("Namur", "Namur")})
        Problem = pool.get('urban.analytics.problem')
        problem, = Problem.search([('kind', '=', 'service_unanswered'),
                ('shop', '=', self.ghent.id)])
        self.assertEqual(problem.sale, late.sale)
        self.assertEqual(problem.description, "Late")

        # staff see their own shop's
        ghent_staff = create_staff('ghent', [self.ghent])
        with as_user(ghent_staff):
            self.assertEqual(self.problems(), {("Late", "Ghent")})

        # answered: no longer a problem
        late.staff_answer("Sorry for the wait")
        self.assertEqual(self.problems(), {("Namur", "Namur")})

        # a longer delay: the 30-hour wait is not late yet
        config = Configuration(1)
        config.service_unanswered_hours = 48
        config.save()
        self.assertEqual(self.problems(), set())
        # closed conversations wait for nobody
        config.service_unanswered_hours = 1
        config.save()
        Conversation.close([namur])
        self.assertEqual(self.problems(), {("Recent", "Ghent")})

    @with_transaction()
    def test_first_response_time_per_shop(self):
        pool = Pool()
        Conversation = pool.get('urban.service.conversation')
        Response = pool.get('urban.analytics.service_response')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        late, recent, answered, namur = self.business()
        # the answer came 3 hours after the question, the other 5 hours
        late.staff_answer("Here")
        Conversation.write([answered], {'first_response_seconds': 3 * 3600})
        Conversation.write([late], {'first_response_seconds': 5 * 3600})
        today = dt.date.today()
        with Transaction().set_context(from_date=today, to_date=today,
                company=self.company.id):
            rows = {r.shop.name: r for r in Response.search([])}
            self.assertEqual(set(rows), {"Ghent", "Namur"})
            ghent = rows["Ghent"]
            self.assertEqual((ghent.conversations, ghent.answered,
                    ghent.waiting), (3, 2, 1))
            self.assertEqual(float(ghent.first_response_hours), 4.0)
            self.assertEqual(float(ghent.longest_first_response_hours), 5.0)
            self.assertEqual((rows["Namur"].answered,
                    rows["Namur"].first_response_hours), (0, None))

            namur_staff = create_staff('namur', [self.namur])
            with as_user(namur_staff):
                self.assertEqual([r.shop.name for r in Response.search([])],
                    ["Namur"])
            analyst, = User.create([{'login': 'analyst', 'name': "Analyst",
                        'groups': [('add', [ModelData.get_id(
                                        'urban_analytics',
                                        'group_analytics')])]}])
            with as_user(analyst):
                self.assertEqual(len(Response.search([])), 2)
