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
package org.splitdomain.settings.jpa.model;

import java.time.Instant;
import java.util.Optional;

import javax.persistence.Basic;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Lob;
import javax.persistence.Table;

import org.splitdomain.settings.history.SettingsChange;

/** One change of the settings' audit history; the settings before and after are the routes' JSON, of any length. */
@Entity(name = "SplitDomainSettingsChange")
@Table(name = "SPLIT_DOMAIN_SETTINGS_HISTORY")
public class JPASettingsChange {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private long id;

    @Column(name = "AT_MILLIS", nullable = false)
    private long atMillis;

    @Column(name = "ACTOR", length = 255)
    private String actor;

    @Column(name = "SOURCE", nullable = false, length = 32)
    private String source;

    @Column(name = "KIND", nullable = false, length = 16)
    private String kind;

    @Column(name = "SUBJECT", nullable = false, length = 255)
    private String subject;

    @Lob
    @Basic(fetch = FetchType.EAGER)
    @Column(name = "BEFORE_JSON")
    private String before;

    @Lob
    @Basic(fetch = FetchType.EAGER)
    @Column(name = "AFTER_JSON")
    private String after;

    /** For JPA only. */
    protected JPASettingsChange() {
    }

    public JPASettingsChange(SettingsChange change) {
        this.atMillis = change.getAt().toEpochMilli();
        this.actor = change.getActor().orElse(null);
        this.source = change.getSource();
        this.kind = change.getKind().asString();
        this.subject = change.getSubject();
        this.before = change.getBefore().orElse(null);
        this.after = change.getAfter().orElse(null);
    }

    public long getId() {
        return id;
    }

    public long getAtMillis() {
        return atMillis;
    }

    public SettingsChange toChange() {
        return new SettingsChange(Instant.ofEpochMilli(atMillis), Optional.ofNullable(actor), source, SettingsChange.Kind.parse(kind),
            subject, Optional.ofNullable(before), Optional.ofNullable(after));
    }
}
