/** Hand-written Nmap XML for tests, shaped like `nmap -oX` output (DTD 1.05). */
import type { Asset } from '../../../schema/asset.js';
import { createProblemLog } from '../../../util/problems.js';
import { createNmapXmlParser, type NmapReadSummary } from '../index.js';

export const sampleHeader = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>
<!-- Nmap 7.93 scan initiated Mon Nov 23 10:00:00 2026 as: nmap -sV -O -sC 192.0.2.0/24 -->
<nmaprun scanner="nmap" args="nmap -sV -O -sC 192.0.2.0/24" start="1795420800" startstr="Mon Nov 23 10:00:00 2026" version="7.93" xmloutputversion="1.05">
<scaninfo type="syn" protocol="tcp" numservices="1000" services="1-1000"/>
<verbose level="0"/>
<debugging level="0"/>
<hosthint><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="192.0.2.99" addrtype="ipv4"/>
</hosthint>
`;

/** A router: MAC, OS guesses with classes and CPEs, a host script, entities in attributes and text. */
export const sampleRouter = `<host starttime="1795420801" endtime="1795420860"><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="192.0.2.1" addrtype="ipv4"/>
<address addr="00:13:49:AA:BB:CC" addrtype="mac" vendor="Zyxel Communications"/>
<hostnames>
<hostname name="gw.example" type="user"/>
<hostname name="router.example" type="PTR"/>
</hostnames>
<ports><extraports state="closed" count="997">
<extrareasons reason="reset" count="997" proto="tcp" ports="1-21,24-79,81-1000"/>
</extraports>
<port protocol="tcp" portid="23"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="telnet" product="ZyXEL ZyWALL telnetd" devicetype="firewall" method="probed" conf="10"><cpe>cpe:/h:zyxel:zywall</cpe></service></port>
<port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="http" product="RomPager" version="4.07" extrainfo="UPnP/1.0 &amp; more" ostype="ZyNOS" method="probed" conf="10"><cpe>cpe:/a:allegrosoft:rompager:4.07</cpe><cpe>cpe:/o:zyxel:zynos</cpe></service><script id="http-title" output="Title: &lt;Login&gt; &#x41;&#66;&#xa;second line"><elem key="title">&lt;Login&gt;</elem>
</script><script id="http-server-header" output="RomPager/4.07 UPnP/1.0"><elem>RomPager/4.07 UPnP/1.0</elem>
</script></port>
<port protocol="udp" portid="161"><state state="open|filtered" reason="no-response" reason_ttl="0"/><service name="snmp" method="table" conf="3"/></port>
</ports>
<os><portused state="open" proto="tcp" portid="23"/>
<osmatch name="ZyXEL ZyWALL 2 firewall (ZyNOS 3.62)" accuracy="96" line="9000">
<osclass type="firewall" vendor="ZyXEL" osfamily="ZyNOS" osgen="3.X" accuracy="96"><cpe>cpe:/o:zyxel:zynos:3.62</cpe></osclass>
<osclass type="WAP" vendor="ZyXEL" osfamily="ZyNOS" accuracy="90"><cpe>cpe:/o:zyxel:zynos:3.62</cpe><cpe><![CDATA[cpe:/h:zyxel:zywall_2]]></cpe></osclass>
</osmatch>
<osmatch name="Linux 2.6.32" accuracy="85" line="50000">
<osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="2.6.X" accuracy="85"><cpe>cpe:/o:linux:linux_kernel:2.6.32</cpe></osclass>
</osmatch>
</os>
<uptime seconds="86400" lastboot="Sun Nov 22 10:00:00 2026"/>
<distance value="1"/>
<hostscript><script id="smb-os-discovery" output="OS: Unix"/></hostscript>
<times srtt="500" rttvar="100" to="100000"/>
</host>
`;

/** An IPv6 web server with a TLS service. */
export const sampleWeb6 = `<host starttime="1795420801" endtime="1795420870"><status state="up" reason="echo-reply" reason_ttl="64"/>
<address addr="2001:DB8:0:0:0:0:0:10" addrtype="ipv6"/>
<hostnames>
</hostnames>
<ports><port protocol="tcp" portid="443"><state state="open" reason="syn-ack" reason_ttl="63"/><service name="http" product="Microsoft IIS httpd" version="10.0" ostype="Windows" tunnel="ssl" method="probed" conf="10"><cpe>cpe:/a:microsoft:internet_information_services:10.0</cpe><cpe>cpe:/o:microsoft:windows</cpe></service></port>
</ports>
<times srtt="700" rttvar="200" to="100000"/>
</host>
`;

export const sampleFooter = `<runstats><finished time="1795420900" timestr="Mon Nov 23 10:01:40 2026" summary="Nmap done at Mon Nov 23 10:01:40 2026; 256 IP addresses (2 hosts up) scanned in 100.50 seconds" elapsed="100.50" exit="success"/><hosts up="2" down="254" total="256"/>
</runstats>
</nmaprun>
`;

export const sampleScan = sampleHeader + sampleRouter + sampleWeb6 + sampleFooter;

/** Parses text or bytes in the given chunk sizes (cycled); returns assets, problems and the summary. */
export function parseNmap(
  input: string | Uint8Array,
  opts: {
    chunks?: number[];
    file?: string;
    limits?: Parameters<typeof createNmapXmlParser>[0]['limits'];
  } = {},
): { assets: Asset[]; problems: ReturnType<typeof createProblemLog>; summary: NmapReadSummary } {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const problems = createProblemLog();
  const assets: Asset[] = [];
  const parser = createNmapXmlParser({
    file: opts.file ?? 'scan.xml',
    problems,
    onAsset: (a) => assets.push(a),
    limits: opts.limits,
  });
  const sizes = opts.chunks?.length ? opts.chunks : [bytes.length || 1];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    parser.write(bytes.subarray(at, at + n));
    at += n;
  }
  return { assets, problems, summary: parser.end() };
}
