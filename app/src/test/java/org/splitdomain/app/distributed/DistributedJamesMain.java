package org.splitdomain.app.distributed;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;

/**
 * One James node of the {@link DistributedFlavour} in a JVM of its own ({@code -Dworking.directory=DIR}, its
 * configuration in {@code DIR/conf}): what a test kills with {@code kill -9}.
 */
public final class DistributedJamesMain {
    private DistributedJamesMain() {
    }

    public static void main(String[] args) throws Exception {
        GuiceJamesServer server = MemoryJamesServerMain.createServer(MemoryJamesConfiguration.builder()
                .useWorkingDirectoryEnvProperty()
                .build())
            .overrideWith(DistributedFlavour.modules());
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        Thread.currentThread().join();
    }
}
