package io.certloop.runbook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Activity;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BusinessRuleTask;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.EndEvent;
import org.camunda.bpm.model.bpmn.instance.ErrorEventDefinition;
import org.camunda.bpm.model.bpmn.instance.EscalationEventDefinition;
import org.camunda.bpm.model.bpmn.instance.Event;
import org.camunda.bpm.model.bpmn.instance.EventBasedGateway;
import org.camunda.bpm.model.bpmn.instance.EventDefinition;
import org.camunda.bpm.model.bpmn.instance.Gateway;
import org.camunda.bpm.model.bpmn.instance.InclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.ParallelGateway;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ReceiveTask;
import org.camunda.bpm.model.bpmn.instance.ScriptTask;
import org.camunda.bpm.model.bpmn.instance.SendTask;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.SignalEventDefinition;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.TerminateEventDefinition;
import org.camunda.bpm.model.bpmn.instance.ThrowEvent;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;

/**
 * Draws a process of {@code processes/} as the SVG picture its page in {@code docs/runbooks/} shows, from the
 * diagram interchange the BPMN file carries (the layout Cockpit and Tasklist show). The pictures are derived
 * files: {@link RunbookDiagramsTest} fails when one differs from its process; redraw them all with
 * {@code ./mvnw test -Dtest=RunbookDiagramsTest -Ddiagrams.write=true}.
 */
final class RunbookDiagram {

    private static final double MARGIN = 40;
    private static final double CHAR_WIDTH = 6.1;
    private static final double LINE_HEIGHT = 12;

    private final BpmnModelInstance model;
    private final StringBuilder back = new StringBuilder();
    private final StringBuilder front = new StringBuilder();
    private double minX = Double.MAX_VALUE;
    private double minY = Double.MAX_VALUE;
    private double maxX = 0;
    private double maxY = 0;

    private RunbookDiagram(BpmnModelInstance model) {
        this.model = model;
    }

    static String render(Path bpmn) {
        return new RunbookDiagram(Bpmn.readModelFromFile(bpmn.toFile())).draw();
    }

    static String processKey(Path bpmn) {
        return Bpmn.readModelFromFile(bpmn.toFile()).getModelElementsByType(Process.class).stream()
                .filter(Process::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(bpmn + " has no executable process"))
                .getId();
    }

    /** Redraws every picture: {@code docs/runbooks/<process key>.svg} for each {@code processes/*.bpmn}. */
    static List<Path> writeAll(Path processes, Path pictures) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Path bpmn : bpmnFiles(processes)) {
            Path svg = pictures.resolve(processKey(bpmn) + ".svg");
            Files.writeString(svg, render(bpmn), StandardCharsets.UTF_8);
            written.add(svg);
        }
        return written;
    }

    static List<Path> bpmnFiles(Path processes) throws IOException {
        try (Stream<Path> files = Files.list(processes)) {
            return files.filter(p -> p.toString().endsWith(".bpmn")).sorted().toList();
        }
    }

    private String draw() {
        for (BpmnShape shape : model.getModelElementsByType(BpmnShape.class)) {
            shape(shape);
        }
        for (BpmnEdge edge : model.getModelElementsByType(BpmnEdge.class)) {
            edge(edge);
        }
        double width = maxX - minX + 2 * MARGIN;
        double height = maxY - minY + 2 * MARGIN;
        double dx = MARGIN - minX;
        double dy = MARGIN - minY;
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + n(width) + "\" height=\"" + n(height)
                + "\" font-family=\"Arial, Helvetica, sans-serif\">\n"
                + "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
                + " markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#222\"/>"
                + "</marker></defs>\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
                + "<g transform=\"translate(" + n(dx) + " " + n(dy) + ")\">\n"
                + back + front + "</g>\n</svg>\n";
    }

    private void shape(BpmnShape shape) {
        BaseElement element = shape.getBpmnElement();
        Bounds b = shape.getBounds();
        if (element == null || b == null) {
            return;
        }
        double x = b.getX();
        double y = b.getY();
        double w = b.getWidth();
        double h = b.getHeight();
        extend(x, y, x + w, y + h);
        String name = element.getAttributeValue("name");
        if (element instanceof SubProcess sub) {
            boolean eventSub = sub.triggeredByEvent();
            back.append(rect(x, y, w, h, eventSub ? " stroke-dasharray=\"4 3\"" : "", "none", "#555"));
            if (name != null) {
                back.append(text(x + 8, y + 14, name, 11, "start", "#333"));
            }
        } else if (element instanceof Activity) {
            front.append(rect(x, y, w, h, " stroke-width=\"1.5\"", "#fff", "#222"));
            front.append(text(x + 5, y + 12, activityType(element), 9, "start", "#777"));
            front.append(centred(x + w / 2, y + h / 2 + 4, name, w - 8, 11));
        } else if (element instanceof Gateway) {
            double cx = x + w / 2;
            double cy = y + h / 2;
            front.append("<polygon points=\"" + n(cx) + "," + n(y) + " " + n(x + w) + "," + n(cy) + " " + n(cx) + ","
                    + n(y + h) + " " + n(x) + "," + n(cy)
                    + "\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"1.5\"/>\n");
            front.append(text(cx, cy + 5, gatewayMark(element), 16, "middle", "#222"));
            label(shape, cx, y + h + 12, name);
        } else if (element instanceof Event event) {
            double cx = x + w / 2;
            double cy = y + h / 2;
            double r = w / 2;
            String stroke = element instanceof EndEvent ? "3" : "1.5";
            front.append(circle(cx, cy, r, stroke));
            if (!(element instanceof EndEvent)
                    && !(element instanceof org.camunda.bpm.model.bpmn.instance.StartEvent)) {
                front.append(circle(cx, cy, r - 3, "1"));
            }
            String mark = eventMark(event);
            if (!mark.isEmpty()) {
                front.append(text(cx, cy + 4, mark, 10, "middle", "#222"));
            }
            label(shape, cx, y + h + 12, name);
        }
    }

    private void edge(BpmnEdge edge) {
        List<Waypoint> points = new ArrayList<>(edge.getWaypoints());
        if (points.isEmpty()) {
            return;
        }
        StringBuilder path = new StringBuilder();
        for (Waypoint p : points) {
            extend(p.getX(), p.getY(), p.getX(), p.getY());
            path.append(path.isEmpty() ? "" : " ")
                    .append(n(p.getX()))
                    .append(',')
                    .append(n(p.getY()));
        }
        boolean flow = edge.getBpmnElement() instanceof SequenceFlow;
        front.append("<polyline points=\"" + path + "\" fill=\"none\" stroke=\"#222\""
                + (flow ? " marker-end=\"url(#arrow)\"" : " stroke-dasharray=\"3 3\"") + "/>\n");
        if (edge.getBpmnElement() instanceof SequenceFlow sequenceFlow && sequenceFlow.getName() != null) {
            Waypoint first = points.get(0);
            Waypoint second = points.size() > 1 ? points.get(1) : first;
            double lx;
            double ly;
            if (edge.getBpmnLabel() != null && edge.getBpmnLabel().getBounds() != null) {
                Bounds l = edge.getBpmnLabel().getBounds();
                lx = l.getX() + l.getWidth() / 2;
                ly = l.getY() + 10;
            } else {
                lx = (first.getX() + second.getX()) / 2;
                ly = (first.getY() + second.getY()) / 2 - 4;
            }
            front.append(wrapped(lx, ly, sequenceFlow.getName(), 120, 10, "#444"));
        }
    }

    private void label(BpmnShape shape, double cx, double below, String name) {
        if (name == null) {
            return;
        }
        if (shape.getBpmnLabel() != null && shape.getBpmnLabel().getBounds() != null) {
            Bounds l = shape.getBpmnLabel().getBounds();
            front.append(
                    wrapped(l.getX() + l.getWidth() / 2, l.getY() + 10, name, Math.max(l.getWidth(), 90), 10, "#222"));
        } else {
            front.append(wrapped(cx, below + 6, name, 110, 10, "#222"));
        }
    }

    private String centred(double cx, double cy, String name, double width, int size) {
        if (name == null) {
            return "";
        }
        List<String> lines = lines(name, width, size);
        double top = cy - (lines.size() - 1) * LINE_HEIGHT / 2;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(text(cx, top + i * LINE_HEIGHT, lines.get(i), size, "middle", "#222"));
        }
        return out.toString();
    }

    private String wrapped(double cx, double top, String name, double width, int size, String colour) {
        List<String> lines = lines(name, width, size);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            double y = top + i * (size + 1);
            extend(cx - width / 2, y - size, cx + width / 2, y + 2);
            out.append(text(cx, y, lines.get(i), size, "middle", colour));
        }
        return out.toString();
    }

    private static List<String> lines(String name, double width, int size) {
        int perLine = Math.max(8, (int) (width / (CHAR_WIDTH * size / 11.0)));
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : name.trim().split("\\s+")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > perLine) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static String activityType(BaseElement element) {
        if (element instanceof UserTask) {
            return "user";
        } else if (element instanceof ServiceTask) {
            return "service";
        } else if (element instanceof BusinessRuleTask) {
            return "decision";
        } else if (element instanceof SendTask) {
            return "send";
        } else if (element instanceof ReceiveTask) {
            return "receive";
        } else if (element instanceof ScriptTask) {
            return "script";
        } else if (element instanceof CallActivity) {
            return "call";
        } else if (element instanceof SubProcess) {
            return "subprocess";
        }
        return "task";
    }

    private static String gatewayMark(BaseElement gateway) {
        if (gateway instanceof ParallelGateway) {
            return "+";
        } else if (gateway instanceof InclusiveGateway) {
            return "o";
        } else if (gateway instanceof EventBasedGateway) {
            return "◇";
        }
        return "×";
    }

    private static String eventMark(Event event) {
        java.util.Collection<EventDefinition> definitions = definitions(event);
        for (EventDefinition d : definitions) {
            if (d instanceof TimerEventDefinition) {
                return "⏱";
            } else if (d instanceof MessageEventDefinition) {
                return "✉";
            } else if (d instanceof ErrorEventDefinition) {
                return "⚡";
            } else if (d instanceof EscalationEventDefinition) {
                return "▲";
            } else if (d instanceof SignalEventDefinition) {
                return "△";
            } else if (d instanceof TerminateEventDefinition) {
                return "●";
            }
        }
        return "";
    }

    private static java.util.Collection<EventDefinition> definitions(Event event) {
        if (event instanceof org.camunda.bpm.model.bpmn.instance.CatchEvent c) {
            return c.getEventDefinitions();
        } else if (event instanceof ThrowEvent t) {
            return t.getEventDefinitions();
        }
        return List.of();
    }

    private String rect(double x, double y, double w, double h, String extra, String fill, String stroke) {
        return "<rect x=\"" + n(x) + "\" y=\"" + n(y) + "\" width=\"" + n(w) + "\" height=\"" + n(h)
                + "\" rx=\"10\" fill=\"" + fill + "\" stroke=\"" + stroke + "\"" + extra + "/>\n";
    }

    private static String circle(double cx, double cy, double r, String stroke) {
        return "<circle cx=\"" + n(cx) + "\" cy=\"" + n(cy) + "\" r=\"" + n(r) + "\" fill=\"#fff\" stroke=\"#222\""
                + " stroke-width=\"" + stroke + "\"/>\n";
    }

    private static String text(double x, double y, String value, int size, String anchor, String fill) {
        return "<text x=\"" + n(x) + "\" y=\"" + n(y) + "\" font-size=\"" + size + "\" text-anchor=\"" + anchor
                + "\" fill=\"" + fill + "\">" + escape(value) + "</text>\n";
    }

    private void extend(double x1, double y1, double x2, double y2) {
        minX = Math.min(minX, x1);
        minY = Math.min(minY, y1);
        maxX = Math.max(maxX, x2);
        maxY = Math.max(maxY, y2);
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static String n(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
