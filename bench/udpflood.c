/* The listen benchmark's sender (bench/listen.ts builds it with cc when there is one):
 * N senders, each a UDP socket bound to its own loopback address 127.0.x.y and connected
 * to 127.0.0.1:PORT, send extended netconsole records round-robin at RATE per second for
 * SECONDS, after a warm-up record from each (so the receiver knows every sender before the
 * clock starts). In C so that sending costs the shared CPUs ~1 us a datagram, not Node's ~10.
 * A tick that finds the sender late sends at most 10 ms of records: a starved sender offers
 * less (and says so) rather than bursts the receiver never sees from real machines.
 * Prints "sent seconds" of the timed part. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int emit(int fd, int i, unsigned long n) {
  char buf[256];
  int len = snprintf(buf, sizeof buf, "6,%lu,%lu,-;bench sender %d message %lu %s\n", n, n * 10, i, n,
                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  return send(fd, buf, len, 0) == len;
}

int main(int argc, char **argv) {
  if (argc != 5) return fprintf(stderr, "usage: udpflood PORT SENDERS RATE SECONDS\n"), 2;
  int port = atoi(argv[1]), senders = atoi(argv[2]);
  double rate = atof(argv[3]), seconds = atof(argv[4]);
  if (senders < 1 || senders > 62500 || rate <= 0) return 2;
  int *fd = calloc(senders, sizeof *fd);
  unsigned long *seq = calloc(senders, sizeof *seq);
  struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
  for (int i = 0; i < senders; i++) {
    char ip[32];
    struct sockaddr_in src = {.sin_family = AF_INET};
    snprintf(ip, sizeof ip, "127.0.%d.%d", i / 250, i % 250 + 2);
    inet_pton(AF_INET, ip, &src.sin_addr);
    fd[i] = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd[i] < 0 || bind(fd[i], (void *)&src, sizeof src) || connect(fd[i], (void *)&dst, sizeof dst)) return perror(ip), 1;
  }
  for (int i = 0; i < senders; i++) emit(fd[i], i, seq[i]++), usleep(100);
  usleep(500000);
  long sent = 0, skipped = 0;
  int next = 0;
  double t0 = now(), t;
  while ((t = now()) - t0 < seconds) {
    long due = (long)((t - t0) * rate) - skipped;
    if (due - sent > rate / 100) skipped += due - sent - (long)(rate / 100), due = sent + (long)(rate / 100);
    for (; sent < due; sent++, next = (next + 1) % senders) emit(fd[next], next, seq[next]++);
    usleep(1000);
  }
  printf("%ld %f %d\n", sent, now() - t0, senders);
  return 0;
}
