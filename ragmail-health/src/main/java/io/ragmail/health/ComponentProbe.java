package io.ragmail.health;

import io.ragmail.core.Component;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.FileStore;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Checks one component: can we reach the IMAP server, is the disk filling up. The
 * {@link HealthMonitor} runs each probe on its own schedule (every {@code probeInterval}, each call
 * bounded by {@code probeTimeout}) and keeps the result with its time; requests to {@code /health}
 * only read that result, so a probe never runs per request.
 *
 * <p>A probe returns a {@link ProbeResult}; throwing counts as {@link ComponentState#DOWN} with the
 * exception's message (scrubbed of obvious secrets).
 *
 * <pre>{@code
 * ComponentProbe imap = ComponentProbe.of("imap", () -> {
 *     store.connect(); store.close();
 *     return ProbeResult.up();
 * });
 * }</pre>
 */
public interface ComponentProbe {

    /** Free space below this share of the disk makes {@link #diskSpace} report degraded. */
    double DEFAULT_DISK_DEGRADED_BELOW = 0.10;
    /** Free space below this share of the disk makes {@link #diskSpace} report down. */
    double DEFAULT_DISK_DOWN_BELOW = 0.02;
    /** Heap in use after the last collection above this share of the maximum is degraded. */
    double DEFAULT_MEMORY_DEGRADED_ABOVE = 0.90;

    /**
     * The component's name, such as {@link Component#IMAP}: the key in {@code /health}'s
     * {@code components}, shared with the pipeline's events ({@link Component} lists the vocabulary).
     */
    String name();

    /** Looks, once. Should answer within the monitor's probe timeout. */
    ProbeResult check();

    /** A probe from a name and a function. */
    static ComponentProbe of(String name, Supplier<ProbeResult> check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        return new ComponentProbe() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ProbeResult check() {
                return check.get();
            }
        };
    }

    /**
     * Component {@code "disk"}: the free share of the file system holding {@code path} (the data
     * directory, where the ledger lives): degraded below 10%, down below 2%.
     */
    static ComponentProbe diskSpace(Path path) {
        return diskSpace(path, DEFAULT_DISK_DEGRADED_BELOW, DEFAULT_DISK_DOWN_BELOW);
    }

    /** {@link #diskSpace(Path)} with other thresholds, as shares of the disk (0.10 = 10%). */
    static ComponentProbe diskSpace(Path path, double degradedBelow, double downBelow) {
        Objects.requireNonNull(path, "path");
        if (!(downBelow >= 0 && downBelow <= degradedBelow && degradedBelow <= 1)) {
            throw new IllegalArgumentException("disk thresholds must satisfy 0 <= downBelow <= degradedBelow <= 1, were "
                    + downBelow + " and " + degradedBelow);
        }
        return of(Component.DISK, () -> {
            try {
                Path existing = path.toAbsolutePath();
                while (existing != null && !Files.exists(existing)) {
                    existing = existing.getParent();
                }
                if (existing == null) {
                    return ProbeResult.down("no such directory: " + path);
                }
                FileStore store = Files.getFileStore(existing);
                long total = store.getTotalSpace();
                long usable = store.getUsableSpace();
                if (total <= 0) {
                    return ProbeResult.up();
                }
                double free = (double) usable / total;
                String detail = String.format(Locale.ROOT, "%.1f%% free (%d MiB)", free * 100, usable >> 20);
                if (free < downBelow) {
                    return ProbeResult.down(detail);
                }
                return free < degradedBelow ? ProbeResult.degraded(detail) : new ProbeResult(ComponentState.UP, detail);
            } catch (IOException e) {
                return ProbeResult.down("cannot read free space: " + e.getMessage());
            }
        });
    }

    /**
     * Component {@code "memory"}: heap in use right after the last garbage collection, as a share of
     * the maximum heap (so a full-but-collectable heap does not alarm), degraded above 90%.
     */
    static ComponentProbe memory() {
        return memory(DEFAULT_MEMORY_DEGRADED_ABOVE);
    }

    /** {@link #memory()} with another threshold, as a share of the maximum heap. */
    static ComponentProbe memory(double degradedAbove) {
        if (!(degradedAbove > 0 && degradedAbove <= 1)) {
            throw new IllegalArgumentException("degradedAbove must be in (0, 1], was " + degradedAbove);
        }
        return of(Component.MEMORY, () -> {
            // The old generation right after its last collection: what really stays in use.
            long used = 0;
            long max = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.isCollectionUsageThresholdSupported()) {
                    MemoryUsage after = pool.getCollectionUsage();
                    long poolMax = pool.getUsage().getMax();
                    if (after != null && poolMax > 0) {
                        // before its first collection the pool reports 0: take its current use then
                        used += after.getUsed() > 0 ? after.getUsed() : pool.getUsage().getUsed();
                        max += poolMax;
                    }
                }
            }
            if (max <= 0 || used <= 0) {
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                used = heap.getUsed();
                max = heap.getMax();
            }
            if (max <= 0) {
                return ProbeResult.up();
            }
            double share = (double) used / max;
            String detail = String.format(Locale.ROOT, "%.0f%% of heap in use after GC", share * 100);
            return share > degradedAbove ? ProbeResult.degraded(detail) : new ProbeResult(ComponentState.UP, detail);
        });
    }
}
