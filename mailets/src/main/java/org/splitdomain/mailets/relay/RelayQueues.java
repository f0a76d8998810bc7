package org.splitdomain.mailets.relay;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.mail.MessagingException;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.transport.mailets.RemoteDelivery;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableList;

/**
 * One James {@link RemoteDelivery} per relay list. Each owns a mail queue of its own, so James
 * does the queuing, the retries, the fail-over to the next relay and the DSN bounce; we choose
 * the relays. Instances are made on first use and live until the mailet is destroyed.
 */
public class RelayQueues {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayQueues.class);

    private final DNSService dnsService;
    private final DomainList domainList;
    private final MailQueueFactory<?> mailQueueFactory;
    private final MetricFactory metricFactory;
    private final MailetContext mailetContext;
    private final RelayDeliveryConfiguration configuration;
    private final Map<List<RelayHost>, RemoteDelivery> deliveries = new ConcurrentHashMap<>();

    public RelayQueues(DNSService dnsService, DomainList domainList, MailQueueFactory<?> mailQueueFactory,
                       MetricFactory metricFactory, MailetContext mailetContext, RelayDeliveryConfiguration configuration) {
        this.dnsService = dnsService;
        this.domainList = domainList;
        this.mailQueueFactory = mailQueueFactory;
        this.metricFactory = metricFactory;
        this.mailetContext = mailetContext;
        this.configuration = configuration;
    }

    /** Queues the mail, with the recipients it carries, for delivery to these relays. */
    public void enqueue(List<RelayHost> relays, Mail mail) throws MessagingException {
        forRelays(relays).service(mail);
    }

    /**
     * Starts the delivery of these relays' queue. Called at start-up for every configured relay list,
     * so mail left in a persistent queue by a restart is delivered without waiting for new mail.
     */
    public RemoteDelivery forRelays(List<RelayHost> relays) throws MessagingException {
        List<RelayHost> key = ImmutableList.copyOf(relays);
        RemoteDelivery existing = deliveries.get(key);
        if (existing != null) {
            return existing;
        }
        synchronized (deliveries) {
            RemoteDelivery delivery = deliveries.get(key);
            if (delivery == null) {
                delivery = start(key);
                deliveries.put(key, delivery);
            }
            return delivery;
        }
    }

    private RemoteDelivery start(List<RelayHost> relays) throws MessagingException {
        RemoteDelivery delivery = new RemoteDelivery(dnsService, domainList, mailQueueFactory, metricFactory);
        delivery.init(new RelayMailetConfig("SplitDomainRemoteDelivery-" + RelayDeliveryConfiguration.relayKey(relays),
            mailetContext, configuration.remoteDeliveryParameters(relays)));
        LOGGER.info("Delivering split-domain mail for relays {} from queue {}", relays, configuration.queueName(relays));
        return delivery;
    }

    public void destroy() {
        synchronized (deliveries) {
            deliveries.values().forEach(RemoteDelivery::destroy);
            deliveries.clear();
        }
    }
}
