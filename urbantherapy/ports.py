"""Free TCP ports for the local processes the demo, the tests and the
benches start (emulators, web processes)."""
import random
import socket

# Ports the kernel never hands out by itself start at the ephemeral range
EPHEMERAL_RANGE = '/proc/sys/net/ipv4/ip_local_port_range'
LOWEST = 20000


def ephemeral_low():
    try:
        with open(EPHEMERAL_RANGE) as file:
            return int(file.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def bindable(host, port):
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def free_port(host='127.0.0.1', count=1):
    """The first of count consecutive ports, free now and below the
    ephemeral range: a port there (port 0's pick) can be given to another
    process's outgoing connection or port-0 bind before ours binds it, and
    did once, to a web process of the topology test."""
    high = ephemeral_low() - count
    for _ in range(500):
        port = random.randrange(LOWEST, high)
        if all(bindable(host, p) for p in range(port, port + count)):
            return port
    raise OSError("no %d free consecutive ports below %d" % (count, high))
