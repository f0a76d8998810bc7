/*
 * Copyright 2026 the james-split-domain authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package org.splitdomain.app.distributed;

import java.io.FileNotFoundException;

import javax.inject.Named;
import javax.inject.Singleton;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.backends.rabbitmq.RabbitMQConfiguration;
import org.apache.james.backends.rabbitmq.RabbitMQConnectionFactory;
import org.apache.james.backends.rabbitmq.ReactorRabbitMQChannelPool;
import org.apache.james.backends.rabbitmq.ReceiverProvider;
import org.apache.james.backends.rabbitmq.SimpleConnectionPool;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.queue.rabbitmq.RabbitMQMailQueue;
import org.apache.james.queue.rabbitmq.RabbitMQMailQueueFactory;
import org.apache.james.queue.rabbitmq.view.RabbitMQMailQueueConfiguration;
import org.apache.james.utils.PropertiesProvider;

import com.google.common.collect.ImmutableSet;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;

import reactor.rabbitmq.RabbitFlux;
import reactor.rabbitmq.ReceiverOptions;
import reactor.rabbitmq.Sender;

/**
 * Stands for James's {@code org.apache.james.modules.queue.rabbitmq.RabbitMQModule} (queue-rabbitmq-guice, not on
 * Maven Central): every mail queue of this James (the spool, the relay queue) on RabbitMQ, from
 * {@code conf/rabbitmq.properties}, as the distributed flavour runs them. Left out: James's RabbitMQ health checks and
 * its spooler reconnection handler, which the tests do not need.
 */
public class RabbitMQModule extends AbstractModule {
    public static final String RABBITMQ = "rabbitmq";

    @Provides
    @Singleton
    @Named(RABBITMQ)
    Configuration configuration(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return propertiesProvider.getConfiguration(RABBITMQ);
        } catch (FileNotFoundException e) {
            throw new ConfigurationException("conf/rabbitmq.properties is missing: the distributed flavour needs uri and management.uri", e);
        }
    }

    @Provides
    @Singleton
    RabbitMQConfiguration rabbitMQConfiguration(@Named(RABBITMQ) Configuration configuration) {
        return RabbitMQConfiguration.from(configuration);
    }

    @Provides
    @Singleton
    RabbitMQMailQueueConfiguration mailQueueConfiguration(@Named(RABBITMQ) Configuration configuration) {
        return RabbitMQMailQueueConfiguration.from(configuration);
    }

    @Provides
    @Singleton
    SimpleConnectionPool connectionPool(RabbitMQConnectionFactory factory) {
        SimpleConnectionPool pool = new SimpleConnectionPool(factory, SimpleConnectionPool.Configuration.DEFAULT);
        pool.init(ImmutableSet.of());
        return pool;
    }

    @Provides
    @Singleton
    ReactorRabbitMQChannelPool channelPool(SimpleConnectionPool pool, MetricFactory metricFactory) {
        ReactorRabbitMQChannelPool channelPool = new ReactorRabbitMQChannelPool(pool.getResilientConnection(),
            ReactorRabbitMQChannelPool.Configuration.DEFAULT, metricFactory);
        channelPool.start();
        return channelPool;
    }

    @Provides
    @Singleton
    Sender sender(ReactorRabbitMQChannelPool channelPool) {
        return channelPool.getSender();
    }

    @Provides
    @Singleton
    ReceiverProvider receiverProvider(SimpleConnectionPool pool) {
        return () -> RabbitFlux.createReceiver(new ReceiverOptions().connectionMono(pool.getResilientConnection()));
    }

    @Provides
    @Singleton
    MailQueueFactory<RabbitMQMailQueue> rabbitMQMailQueueFactory(RabbitMQMailQueueFactory factory) {
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends ManageableMailQueue> manageableMailQueueFactory(MailQueueFactory<RabbitMQMailQueue> factory) {
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<?> mailQueueFactory(MailQueueFactory<RabbitMQMailQueue> factory) {
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends MailQueue> mailQueueFactoryOfQueues(MailQueueFactory<RabbitMQMailQueue> factory) {
        return factory;
    }
}
