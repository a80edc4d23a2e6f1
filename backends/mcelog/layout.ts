// mcelog's log output (mcelog.c dump_mce(); also what `mcelog --ascii` prints, and the
// same lines in syslog behind "mcelog[pid]: "). One record:
//   Hardware event. This is not a software error.
//   MCE 0
//   CPU 3 BANK 1 TSC 1721b44be3
//   RIP !INEXACT! 10:ffffffff81670493
//   MISC 86 ADDR 1424bd400
//   TIME 1415556598 Sun Nov  9 19:09:58 2014
//   MCG status:RIPV MCIP
//   MCi status: / Uncorrected error / ... / MCA: Data CACHE Level-0 Write Error
//   STATUS bf80000000000124 MCGSTATUS 0
//   MCGCAP c09 APICID 6 SOCKETID 0
//   CPUID Vendor Intel Family 6 Model 60 [Step 3]

export const DISCLAIMER = 'Hardware event. This is not a software error.';
/** A syslog or journal prefix in front of mcelog's own line. */
export const SYSLOG_PREFIX = /^.*?\bmcelog(?:\[\d+\])?: /;
export const MCE_START = /^MCE \d+\s*$/;
export const CPU_BANK = /^CPU (\d+) BANK (\d+)\b/;
export const HEX_FIELD = /\b(TSC|ADDR|MISC|SYND|IPID|PPIN|MICROCODE) ([0-9a-f]{1,16})\b/gi;
export const RIP = /^RIP(?: !INEXACT!)? ([0-9a-f]+):([0-9a-f]{1,16})/i;
export const TIME = /^TIME (\d{1,12})\b/;
export const STATUS = /^STATUS ([0-9a-f]{1,16}) MCGSTATUS ([0-9a-f]{1,16})/i;
export const APIC = /\bAPICID ([0-9a-f]+) SOCKETID (\d+)/i;
export const SOCKET_APIC = /^SOCKET (\d+) APIC ([0-9a-f]+)(?: microcode ([0-9a-f]+))?/i;
export const CPUID = /^CPUID Vendor (\w+) Family (\d+) Model (\d+)(?: Step (\d+))?/;
/** mcelog's own decode of the error, kept as the record's note. */
export const MCA_TEXT = /^(?:MCA: |Transaction: )/;
/** mcelog's lines are short; anything longer is not one of them and is read only this far. */
export const MAX_LINE_CHARS = 4096;
