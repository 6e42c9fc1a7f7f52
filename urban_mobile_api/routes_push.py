"/push/devices: register and unregister the app's Expo push tokens."
import re
from typing import Literal

from pydantic import Field, field_validator

from trytond.pool import Pool

from . import api
from .schemas import Model

EXPO_TOKEN = re.compile(r'^(ExponentPushToken|ExpoPushToken)\[[^\]]+\]$')


class DeviceIn(Model):
    token: str = Field(max_length=255,
        examples=['ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]'])
    platform: Literal['ios', 'android', 'web']
    language: Literal['fr', 'nl', 'en'] = 'fr'
    topics: list[Literal['orders', 'promotions', 'new_arrivals']] = Field(
        default_factory=lambda: ['orders'])

    @field_validator('token')
    @classmethod
    def expo_token(cls, value):
        if not EXPO_TOKEN.match(value):
            raise ValueError("not an Expo push token")
        return value


class DeviceOut(Model):
    id: int
    token: str
    platform: str
    language: str
    topics: list[str]


class DeviceDelete(Model):
    token: str = Field(max_length=255)


@api.endpoint('POST', '/push/devices', summary="Register a push token",
    tags=['push'], auth='required', body=DeviceIn, response=DeviceOut,
    status=201, errors=(401, 422))
def register_device(call):
    "Registers (or moves to this user) an Expo push token"
    Device = Pool().get('urban.api.push.device')
    body = call.body
    device = Device.register(call.user, body.token, body.platform,
        body.language, body.topics)
    return DeviceOut(id=device.id, token=device.token,
        platform=device.platform, language=device.language,
        topics=list(device.topics or []))


@api.endpoint('DELETE', '/push/devices', summary="Unregister a push token",
    tags=['push'], auth='required', body=DeviceDelete, status=204,
    errors=(401, 404))
def unregister_device(call):
    Device = Pool().get('urban.api.push.device')
    devices = Device.search([
            ('token', '=', call.body.token),
            ('user', '=', call.user.id),
            ])
    if not devices:
        raise api.Problem(404, 'device_not_found', "No such device")
    Device.delete(devices)
