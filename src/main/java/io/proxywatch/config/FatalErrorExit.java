package io.proxywatch.config;

/**
 * Ends the process when a thread dies of running out of memory (or of another {@link VirtualMachineError} but a stack
 * overflow, which a line can cause again after every restart; detection, where that can happen, catches it): a tail
 * thread killed by an OutOfMemoryError left proxywatch running with nothing read, its lag growing, and one stack
 * trace to tell (a 64 MB heap reading megabyte lines, before the bytes in flight were bounded). Exiting instead lets
 * the service manager start it again (systemd and WinSW both restart on a failure exit; the packaged unit files do)
 * from the checkpoints, so no line is lost. Other throwables that end a thread are printed as the JVM prints them.
 */
public final class FatalErrorExit implements Thread.UncaughtExceptionHandler {
    /** Not 2 (a configuration error, which a restart cannot mend; the systemd unit does not restart on it). */
    static final int EXIT_CODE = 3;

    private FatalErrorExit() {
    }

    /** For every thread that has no handler of its own; call first thing in main. */
    public static void install() {
        Thread.setDefaultUncaughtExceptionHandler(new FatalErrorExit());
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
            try {
                // plain stderr, no logging framework; and if even this message cannot be built, the exit still comes
                System.err.println("proxywatch: " + e + " ended thread \"" + t.getName() + "\"; exiting with code "
                        + EXIT_CODE + " to be restarted from the checkpoints (if it recurs, raise -Xmx)");
                System.err.flush();
            } finally {
                Runtime.getRuntime().halt(EXIT_CODE);
            }
        }
        System.err.print("Exception in thread \"" + t.getName() + "\" ");
        e.printStackTrace();
    }
}
