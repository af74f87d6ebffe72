/* Helper processes: the other end of the raw floors and the wall displays of the hallq
 * measurements. The benchmark starts them by executing itself with "--helper ROLE ...", so
 * each is a fresh process with its own ZeroMQ context, like a real peer (a group of displays
 * shares its process's context: see "sub").
 *
 *   --helper echo REPLY_BYTES ENDPOINT_FD
 *       ROUTER bound on tcp://127.0.0.1:*; writes the endpoint and a newline to ENDPOINT_FD;
 *       answers every request [identity][empty][body] with a REPLY_BYTES body.
 *   --helper sub ENDPOINT TOPIC SETTLE SHM_PATH FIRST COUNT MAX READY_FD NOTIFY_FD
 *       COUNT subscribers, slots FIRST to FIRST + COUNT - 1, each a thread with its own SUB
 *       socket subscribed to everything, as hallq-display is (the threads share one ZeroMQ
 *       context: hundreds of processes, each with its own I/O thread, do not fit on two
 *       cores). For each subscriber, the first message of any topic writes one byte to
 *       READY_FD (the subscription has reached the publisher), and so does every message whose
 *       topic is SETTLE ("-": none), which tells the benchmark that the events following a
 *       sample have arrived too. Each message whose topic is TOPIC gets its arrival time
 *       stored at SHM[SLOT * MAX + k] (k counts those messages) and one byte written to
 *       NOTIFY_FD (the first MAX of them). Runs until SIGTERM.
 */
#ifndef BENCH_HELPER_H
#define BENCH_HELPER_H

/* argv[0] is "--helper". Returns the process exit status. */
int bh_main(int argc, char **argv);

#endif
