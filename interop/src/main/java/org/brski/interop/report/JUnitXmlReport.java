package org.brski.interop.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.brski.interop.CaseResult;
import org.brski.interop.InteropReport;
import org.brski.interop.Requirement;
import org.brski.interop.Verdict;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The JUnit XML report CI systems read: {@code <testsuites>} with one {@code <testsuite>} for the required cases and
 * one for the optional ones. A required case that was not met has a {@code <failure>}; an optional case that differs,
 * a known peer deviation and a case that did not apply are {@code <skipped>} with the verdict and observation as
 * message, so only required failures turn a CI run red. Failures, differences and known deviations carry the same
 * details as the Markdown report (RFC section, what a conforming peer does, each request and answer). A stopped run
 * adds a property {@code stopped} with the reason.
 */
public final class JUnitXmlReport {
    /** The file name in the report directory. */
    public static final String FILE = "interop-results.xml";

    private JUnitXmlReport() {
    }

    /** Writes {@value #FILE} into {@code dir}. */
    public static Path write(InteropReport report, Path dir) throws ReportException {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(file)) {
                write(report, out);
            }
        } catch (IOException e) {
            throw new ReportException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** Writes the XML document to {@code out}. */
    public static void write(InteropReport report, OutputStream out) throws ReportException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Document doc = factory.newDocumentBuilder().newDocument();
            Element suites = doc.createElement("testsuites");
            suites.setAttribute("name", "brski-interop");
            doc.appendChild(suites);
            for (Requirement requirement : Requirement.values()) {
                List<CaseResult> results = report.results().stream()
                        .filter(r -> r.testCase().requirement() == requirement).toList();
                suites.appendChild(suite(doc, report, requirement, results));
            }
            TransformerFactory transformers = TransformerFactory.newInstance();
            transformers.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            transformers.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = transformers.newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.transform(new DOMSource(doc), new StreamResult(out));
        } catch (ParserConfigurationException | TransformerException e) {
            throw new ReportException("cannot produce the JUnit XML report: " + e.getMessage(), e);
        }
    }

    private static Element suite(Document doc, InteropReport report, Requirement requirement,
            List<CaseResult> results) {
        Element suite = doc.createElement("testsuite");
        String name = "brski-interop." + requirement.label();
        suite.setAttribute("name", name);
        suite.setAttribute("tests", Integer.toString(results.size()));
        suite.setAttribute("failures", Long.toString(results.stream().filter(CaseResult::failsRun).count()));
        suite.setAttribute("errors", "0");
        suite.setAttribute("skipped", Long.toString(results.stream()
                .filter(r -> !r.failsRun() && r.verdict() != Verdict.PASS).count()));
        suite.setAttribute("timestamp", report.started().toString());
        suite.setAttribute("time", seconds(results.stream().mapToLong(r -> r.elapsed().toMillis()).sum()));
        Element properties = doc.createElement("properties");
        properties.appendChild(property(doc, "registrar", report.registrar()));
        properties.appendChild(property(doc, "masa", report.masa().orElse("")));
        properties.appendChild(property(doc, "profile", report.profile().cliName()));
        report.stopped().ifPresent(why -> properties.appendChild(property(doc, "stopped", why)));
        suite.appendChild(properties);
        for (CaseResult r : results) {
            Element testcase = doc.createElement("testcase");
            testcase.setAttribute("classname", name);
            testcase.setAttribute("name", r.testCase().id() + " (" + r.testCase().section() + ")");
            testcase.setAttribute("time", seconds(r.elapsed().toMillis()));
            switch (r.verdict()) {
                case FAIL -> {
                    Element failure = doc.createElement("failure");
                    failure.setAttribute("message", r.observed());
                    failure.setAttribute("type", "expected " + r.testCase().expected());
                    failure.setTextContent(CaseDetails.text(r));
                    testcase.appendChild(failure);
                }
                case DIFFERS, NOT_APPLICABLE, KNOWN_DEVIATION -> {
                    Element skipped = doc.createElement("skipped");
                    skipped.setAttribute("message", r.verdict().label() + ": " + r.observed());
                    if (CaseDetails.shown(r)) {
                        skipped.setTextContent(CaseDetails.text(r));
                    }
                    testcase.appendChild(skipped);
                }
                case PASS -> {
                    Element out = doc.createElement("system-out");
                    out.setTextContent(r.observed());
                    testcase.appendChild(out);
                }
            }
            suite.appendChild(testcase);
        }
        return suite;
    }

    private static Element property(Document doc, String name, String value) {
        Element property = doc.createElement("property");
        property.setAttribute("name", name);
        property.setAttribute("value", value);
        return property;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
