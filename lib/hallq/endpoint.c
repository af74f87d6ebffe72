/* The endpoints hallqd binds, checked as libzmq will read them, so that --check-config
 * refuses what the daemon would then fail to bind. */
#include "config.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

static int s_port(const char *port)
{
    if (strcmp(port, "*") == 0)
        return 0;
    size_t n = strspn(port, "0123456789");
    return n >= 1 && n <= 5 && port[n] == '\0' && atoi(port) <= 65535 ? 0 : -1;
}

/* libzmq binds TCP to *, a numeric address or an interface's name; it resolves no host
 * names when binding (tcp://localhost fails with "No such device"), and IPv6 only when the
 * socket asks for it, which hallqd's do not. */
static int s_tcp(const char *rest, char *why, size_t whylen)
{
    const char *colon = strrchr(rest, ':');
    if (!colon)
        return hq_fail(why, whylen, "has no port: it must be tcp://HOST:PORT");
    if (s_port(colon + 1) != 0)
        return hq_fail(why, whylen, "has no port 0-65535 or * after the last ':'");
    char host[CFG_TEXT_MAX];
    snprintf(host, sizeof host, "%.*s", (int)(colon - rest), rest);
    struct in_addr addr;
    if (!host[0])
        return hq_fail(why, whylen, "has no address: it must be tcp://HOST:PORT");
    if (host[0] == '[' || strchr(host, ':'))
        return hq_fail(why, whylen, "is IPv6: hallqd binds IPv4 addresses and interfaces only");
    if (strcmp(host, "*") == 0 || inet_aton(host, &addr) || if_nametoindex(host) != 0)
        return 0;
    return hq_fail(why, whylen,
                   "names '%s', neither an IPv4 address nor a network interface of this "
                   "machine (a bind takes no host names)",
                   host);
}

int config_endpoint_check(const char *endpoint, char *why, size_t whylen)
{
    if (strncmp(endpoint, "tcp://", 6) == 0)
        return s_tcp(endpoint + 6, why, whylen);
    if (strncmp(endpoint, "ipc://", 6) == 0) {
        size_t n = strlen(endpoint + 6);
        if (n == 0 || n >= sizeof((struct sockaddr_un *)0)->sun_path)
            return hq_fail(why, whylen, "needs a path of 1 to %zu bytes",
                           sizeof((struct sockaddr_un *)0)->sun_path - 1);
        return 0;
    }
    if (strncmp(endpoint, "inproc://", 9) == 0)
        return endpoint[9] ? 0 : hq_fail(why, whylen, "needs a name");
    return hq_fail(why, whylen, "is not tcp://, ipc:// or inproc:// (what hallqd binds)");
}

int config_endpoint_loopback(const char *endpoint)
{
    /* The daemon's rule, and --check-config's: an address in 127/8 written as such,
     * localhost, ::1, or a transport that never leaves the machine. */
    return strncmp(endpoint, "tcp://127.", 10) == 0 ||
           strncmp(endpoint, "tcp://localhost:", 16) == 0 ||
           strncmp(endpoint, "tcp://[::1]", 11) == 0 || strncmp(endpoint, "ipc://", 6) == 0 ||
           strncmp(endpoint, "inproc://", 9) == 0;
}
