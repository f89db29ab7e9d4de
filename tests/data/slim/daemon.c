#include <stdio.h>
/* A daemon's habits: its configuration under a directory of its own, named as a prefix (with
 * its slash), and a pid file made at run time where only root may write. */
static const char prefix[] = "/etc/daemon/";
int main(void)
{
	char conf[64];
	snprintf(conf, sizeof conf, "%s%s", prefix, "daemon.conf");
	FILE *c = fopen(conf, "r");
	FILE *p = fopen("/run/daemon.pid", "w");
	return !c || !p;
}
