package dev.xenlevelling.xc.hv.cpu;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.hv.cpu.CpuSourceException.Reason;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.ext.DefaultHandler2;

/**
 * Reader of libvirt's CPUID dump XML ({@code tests/cputestdata/x86_64-cpuid-*.xml}): a
 * {@code <cpudata arch='x86'>} of {@code <cpuid eax_in ecx_in eax ebx ecx edx/>} and
 * {@code <msr index edx eax/>} elements, the brand string in the leading comment.
 *
 * <p>The parser refuses DOCTYPEs and external entities (no XXE), and files over 4 MiB.
 */
final class LibvirtCpuidXml {
  static final long MAX_BYTES = 4L << 20;

  private LibvirtCpuidXml() {}

  /** Returns the CPU the dump at {@code file} describes. */
  static CpuDescription load(Path file) throws CpuSourceException {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new CpuSourceException(Reason.TOO_LARGE,
            file + ": larger than " + MAX_BYTES + " bytes; not a CPUID dump");
      }
      try (InputStream in = Files.newInputStream(file)) {
        return parse(file.toString(), in);
      }
    } catch (IOException e) {
      throw new CpuSourceException(Reason.UNREADABLE, file + ": cannot read: " + e.getMessage());
    }
  }

  /** Returns the CPU the dump text in {@code in} describes; {@code name} is used in messages. */
  static CpuDescription parse(String name, InputStream in)
      throws CpuSourceException, IOException {
    Handler h = new Handler(name);
    try {
      SAXParserFactory f = SAXParserFactory.newInstance();
      f.setNamespaceAware(false);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      SAXParser p = f.newSAXParser();
      p.setProperty("http://xml.org/sax/properties/lexical-handler", h);
      p.parse(in, h);
    } catch (SAXParseException e) {
      if (h.problem != null) {
        throw h.problem;
      }
      throw new CpuSourceException(Reason.SYNTAX, String.format("%s:%d:%d: %s", name,
          e.getLineNumber(), e.getColumnNumber(), oneLine(e.getMessage())));
    } catch (SAXException | ParserConfigurationException e) {
      throw new CpuSourceException(Reason.SYNTAX, name + ": " + oneLine(e.getMessage()));
    }
    if (!h.sawRoot) {
      throw new CpuSourceException(Reason.CONTENT, name + ": expected a <cpudata> root element");
    }
    if (h.leaves.stream().noneMatch(l -> l.leaf() == 0)) {
      throw new CpuSourceException(Reason.CONTENT,
          name + ": no <cpuid eax_in='0x00000000'> element (leaf 0 gives the vendor)");
    }
    return new CpuDescription(name, h.brand, ImmutableList.copyOf(h.leaves),
        ImmutableSortedMap.copyOf(h.msrs));
  }

  private static String oneLine(String s) {
    return s == null ? "malformed XML" : s.replaceAll("\\s+", " ").trim();
  }

  private static final class Handler extends DefaultHandler2 {
    private final String name;
    private Locator locator;
    final List<CpuidLeaf> leaves = new ArrayList<>();
    final TreeMap<Integer, Long> msrs = new TreeMap<>();
    String brand = "";
    boolean sawRoot;
    private boolean sawElement;
    CpuSourceException problem;

    Handler(String name) {
      this.name = name;
    }

    @Override
    public void setDocumentLocator(Locator locator) {
      this.locator = locator;
    }

    @Override
    public void comment(char[] ch, int start, int length) {
      if (!sawElement && brand.isEmpty()) {
        brand = new String(ch, start, length).trim();
      }
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts)
        throws SAXException {
      boolean root = !sawElement;
      sawElement = true;
      if (root) {
        if (!qName.equals("cpudata")) {
          throw fail(Reason.CONTENT, "expected the root element <cpudata>, found <" + qName + ">");
        }
        String arch = atts.getValue("arch");
        if (arch != null && !arch.equals("x86")) {
          throw fail(Reason.CONTENT, "expected arch='x86', found arch='" + arch + "'");
        }
        sawRoot = true;
        return;
      }
      switch (qName) {
        case "cpuid":
          leaves.add(new CpuidLeaf(hex(atts, "eax_in"), hex(atts, "ecx_in"), hex(atts, "eax"),
              hex(atts, "ebx"), hex(atts, "ecx"), hex(atts, "edx")));
          break;
        case "msr":
          long v = (Integer.toUnsignedLong(hex(atts, "edx")) << 32)
              | Integer.toUnsignedLong(hex(atts, "eax"));
          msrs.put(hex(atts, "index"), v);
          break;
        default:
          throw fail(Reason.CONTENT, "expected <cpuid> or <msr>, found <" + qName + ">");
      }
    }

    private int hex(Attributes atts, String attr) throws SAXException {
      String v = atts.getValue(attr);
      if (v == null) {
        throw fail(Reason.CONTENT, "missing attribute " + attr);
      }
      String digits = v.startsWith("0x") || v.startsWith("0X") ? v.substring(2) : v;
      try {
        long l = Long.parseLong(digits, 16);
        if (digits.isEmpty() || l > 0xffffffffL || l < 0) {
          throw new NumberFormatException();
        }
        return (int) l;
      } catch (NumberFormatException e) {
        throw fail(Reason.CONTENT,
            "expected a 32-bit hex number for " + attr + ", found '" + v + "'");
      }
    }

    private SAXException fail(Reason reason, String msg) {
      String where = locator == null ? name
          : String.format("%s:%d:%d", name, locator.getLineNumber(), locator.getColumnNumber());
      problem = new CpuSourceException(reason, where + ": " + msg);
      return new SAXParseException(msg, locator);
    }
  }
}
