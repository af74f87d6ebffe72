/* `hallqctl stats ...`: the manager's statistics verbs over the hall's database. */
#ifndef HALLQ_CTL_STATS_H
#define HALLQ_CTL_STATS_H

/* argv[0] is "stats". Returns the exit status. */
int hallqctl_stats_main(int argc, char **argv);

#endif
