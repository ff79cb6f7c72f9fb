package io.certloop.support;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.Bootstrap;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A breakpoint set from outside in another JVM through the Java Debug Interface ({@code com.sun.jdi}, module
 * {@code jdk.jdi}): that JVM is started with {@link #agent} and nothing in its code knows. The thread that reaches the
 * breakpoint stays suspended, the rest of the JVM runs on, so whatever that thread holds open (a transaction, a lock)
 * stays open until the JVM is killed. Closing detaches; a thread still suspended then runs on.
 */
public final class JdwpBreakpoint implements AutoCloseable {

    private final VirtualMachine vm;
    private final String className;
    private final String methodName;
    private final boolean atEnd;
    private BreakpointRequest breakpoint;

    private JdwpBreakpoint(VirtualMachine vm, String className, String methodName, boolean atEnd) {
        this.vm = vm;
        this.className = className;
        this.methodName = methodName;
        this.atEnd = atEnd;
    }

    /** The JVM option that makes a JVM accept a debugger on {@code 127.0.0.1:port} (without waiting for one). */
    public static String agent(int port) {
        return "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + port;
    }

    /**
     * Attaches to the agent on {@code port} (at most {@code timeout}) and sets a breakpoint on the first line of the
     * named method of the class, or with {@code atEnd} on its last line (a void method's return: everything it does
     * done, nothing returned to its caller yet). A class not loaded yet gets it when it is loaded.
     */
    public static JdwpBreakpoint attach(int port, String className, String methodName, boolean atEnd, Duration timeout)
            throws Exception {
        AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(c -> "com.sun.jdi.SocketAttach".equals(c.name()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no socket attaching connector"));
        Map<String, Connector.Argument> arguments = socket.defaultArguments();
        arguments.get("hostname").setValue("127.0.0.1");
        arguments.get("port").setValue(Integer.toString(port));
        arguments.get("timeout").setValue(Long.toString(timeout.toMillis()));
        JdwpBreakpoint debugger = new JdwpBreakpoint(socket.attach(arguments), className, methodName, atEnd);
        try {
            debugger.request();
        } catch (Exception | Error e) {
            debugger.close();
            throw e;
        }
        return debugger;
    }

    private void request() throws AbsentInformationException {
        // the prepare request first, so a class loaded meanwhile is not missed
        ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
        prepare.addClassFilter(className);
        prepare.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        prepare.enable();
        for (ReferenceType loaded : vm.classesByName(className)) {
            set(loaded);
        }
    }

    private void set(ReferenceType type) throws AbsentInformationException {
        if (breakpoint != null) {
            return;
        }
        List<Method> methods = type.methodsByName(methodName).stream()
                .filter(m -> !m.isAbstract() && !m.isNative() && !m.isBridge())
                .toList();
        if (methods.size() != 1) {
            throw new IllegalStateException(
                    "expected one method " + methodName + " with code in " + className + ", found " + methods);
        }
        Comparator<Location> byLine = Comparator.comparingInt(Location::lineNumber);
        List<Location> lines = methods.get(0).allLineLocations();
        Location location = atEnd
                ? lines.stream().max(byLine).orElseThrow()
                : lines.stream().min(byLine).orElseThrow();
        breakpoint = vm.eventRequestManager().createBreakpointRequest(location);
        breakpoint.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        breakpoint.enable();
    }

    /**
     * Waits (at most {@code timeout}) until a thread reaches the breakpoint; that thread stays suspended. Returns its
     * stack, innermost first, each frame as {@code class.method:line}.
     */
    public List<String> awaitHit(Duration timeout) throws InterruptedException, AbsentInformationException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("no thread reached " + where() + " within " + timeout);
            }
            EventSet events = vm.eventQueue().remove(left);
            if (events == null) {
                continue;
            }
            for (Event event : events) {
                if (event instanceof BreakpointEvent hit) {
                    return stack(hit.thread());
                }
                if (event instanceof ClassPrepareEvent prepared) {
                    set(prepared.referenceType());
                }
                if (event instanceof VMDeathEvent || event instanceof VMDisconnectEvent) {
                    throw new AssertionError("the JVM ended before a thread reached " + where());
                }
            }
            events.resume();
        }
    }

    private String where() {
        return (atEnd ? "the end of " : "the start of ") + className + "." + methodName;
    }

    private static List<String> stack(ThreadReference thread) {
        List<String> frames = new ArrayList<>();
        try {
            for (StackFrame frame : thread.frames()) {
                Location location = frame.location();
                frames.add(location.declaringType().name() + "."
                        + location.method().name() + ":" + location.lineNumber());
            }
        } catch (IncompatibleThreadStateException notSuspended) {
            throw new IllegalStateException("the thread at the breakpoint is not suspended", notSuspended);
        }
        return frames;
    }

    /** Detaches (a thread still suspended runs on); a JVM already gone is fine. */
    @Override
    public void close() {
        try {
            vm.dispose();
        } catch (VMDisconnectedException gone) {
            // killed: nothing left to detach from
        }
    }
}
