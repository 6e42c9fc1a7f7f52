"""Local emulators of the outside services we cannot reach (Stripe through
localstripe, Mollie, Sendcloud, Expo push, the Peppol access point, the
Lightspeed X-Series and Square tills, an SMTP outbox), each following its
documented API on 127.0.0.1. The tests and `make demo` use the same ones;
production configures the real services' URLs and keys instead."""
