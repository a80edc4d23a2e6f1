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
//   M2M: STATUS bf80000000000124 MCGSTATUS 0
//   MCGCAP c09 APICID 6 SOCKETID 0
//   PPIN 1234 / MICROCODE 2006e05
//   CPUID Vendor Intel Family 6 Model 60 Step 3
// The CPU line names the bank as bankname() does: "BANK n" (Intel), "n name" (K8,
// k8.c k8_bank_name), or an extended bank's words (mcelog.c extended_bankname).
// The model decoders (skylake_xeon.c skylake_s_decode_model(), i10nm.c
// i10nm_decode_model() ...) print a unit prefix ("M2M: ", "PCU: Internal errors ",
// "MemCtrl: ", "UPI: ") and end the line only when decode_bitfield() printed something:
// otherwise STATUS follows on the same line, behind the prefix.

export const DISCLAIMER = 'Hardware event. This is not a software error.';
/** A syslog or journal prefix in front of mcelog's own line. */
export const SYSLOG_PREFIX = /^.*?\bmcelog(?:\[\d+\])?: /;
export const MCE_START = /^MCE \d+\s*$/;
/** mcelog.h: MCE_EXTENDED_BANK 128 (+0 thermal, +90 timeout), MCE_APEI_BANK 255. */
export const EXTENDED_BANKS: Readonly<Record<string, number>> = {
  'THERMAL EVENT': 128,
  'Timeout waiting for exception on other CPUs': 218,
  'ACPI/APEI reported error': 255,
};
export const CPU_LINE = /^CPU (\d+) (?:BANK (\d+)\b|(\d+) |(THERMAL EVENT|Timeout waiting for exception on other CPUs|ACPI\/APEI reported error)|Undecoded extended event ([0-9a-f]+)\b)/;
export const HEX_FIELD = /\b(TSC|ADDR|MISC|SYND|IPID|PPIN|MICROCODE) ([0-9a-f]{1,16})\b/gi;
export const RIP = /^RIP(?: !INEXACT!)? ([0-9a-f]+):([0-9a-f]{1,16})/i;
export const TIME = /^TIME (\d{1,12})\b/;
/** STATUS anywhere on the line: a model decoder's unit prefix may stand before it. */
export const STATUS = /(?:^|\s)STATUS ([0-9a-f]{1,16}) MCGSTATUS ([0-9a-f]{1,16})\b/i;
/** "MCGCAP %llx APICID %x SOCKETID %x": each printed only when the record has it, all hex. */
export const CAP_LINE = /^(?:MCGCAP|APICID|SOCKETID) /;
export const CAP_FIELD = /\b(MCGCAP|APICID|SOCKETID) ([0-9a-f]{1,16})\b/gi;
export const SOCKET_APIC = /^SOCKET (\d+) APIC ([0-9a-f]+)(?: microcode ([0-9a-f]+))?/i;
export const CPUID = /^CPUID Vendor (\w+) Family (\d+) Model (\d+)(?: Step (\d+))?/;
/** mcelog's own decode of the error, kept as the record's note. */
export const MCA_TEXT = /^(?:MCA: |Transaction: )/;
/** mcelog's lines are short; anything longer is not one of them and is read only this far. */
export const MAX_LINE_CHARS = 4096;
/** A unit prefix longer than this in front of STATUS is not one mcelog printed. */
export const MAX_PREFIX_CHARS = 200;
