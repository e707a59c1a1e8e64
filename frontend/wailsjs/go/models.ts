export namespace app {
	
	export class AdministrationDTO {
	    id: number;
	    softwareId: number;
	    softwareName: string;
	    organizationId?: number;
	    organizationName?: string;
	    name: string;
	    code?: string;
	    email?: string;
	    linkedConnectionId?: number;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new AdministrationDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.softwareId = source["softwareId"];
	        this.softwareName = source["softwareName"];
	        this.organizationId = source["organizationId"];
	        this.organizationName = source["organizationName"];
	        this.name = source["name"];
	        this.code = source["code"];
	        this.email = source["email"];
	        this.linkedConnectionId = source["linkedConnectionId"];
	        this.createdAt = source["createdAt"];
	    }
	}
	export class AdministrationInput {
	    softwareId: number;
	    organizationId: number;
	    name: string;
	    code: string;
	    email: string;
	
	    static createFrom(source: any = {}) {
	        return new AdministrationInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.softwareId = source["softwareId"];
	        this.organizationId = source["organizationId"];
	        this.name = source["name"];
	        this.code = source["code"];
	        this.email = source["email"];
	    }
	}
	export class AdministrationQuery {
	    softwareId: number;
	    organizationId: number;
	    search: string;
	
	    static createFrom(source: any = {}) {
	        return new AdministrationQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.softwareId = source["softwareId"];
	        this.organizationId = source["organizationId"];
	        this.search = source["search"];
	    }
	}
	export class LinkDTO {
	    id: number;
	    connectionId: number;
	    appKey: string;
	    softwareName: string;
	    administrationId: number;
	    administrationName: string;
	    email: string;
	    startDate?: string;
	    processSales: boolean;
	    status: string;
	    createdAt: string;
	    revokedAt?: string;
	    lastTestAt?: string;
	    lastTestResult?: string;
	
	    static createFrom(source: any = {}) {
	        return new LinkDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.connectionId = source["connectionId"];
	        this.appKey = source["appKey"];
	        this.softwareName = source["softwareName"];
	        this.administrationId = source["administrationId"];
	        this.administrationName = source["administrationName"];
	        this.email = source["email"];
	        this.startDate = source["startDate"];
	        this.processSales = source["processSales"];
	        this.status = source["status"];
	        this.createdAt = source["createdAt"];
	        this.revokedAt = source["revokedAt"];
	        this.lastTestAt = source["lastTestAt"];
	        this.lastTestResult = source["lastTestResult"];
	    }
	}
	export class AppliedDTO {
	    link: LinkDTO;
	    revokedConnectionId?: number;
	    withdrawn: number;
	
	    static createFrom(source: any = {}) {
	        return new AppliedDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.link = this.convertValues(source["link"], LinkDTO);
	        this.revokedConnectionId = source["revokedConnectionId"];
	        this.withdrawn = source["withdrawn"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ApplyInput {
	    token: string;
	    administrationId: number;
	    newAdministration?: AdministrationInput;
	    email: string;
	    startDate: string;
	    processSales: boolean;
	    confirmed: boolean;
	    revokeConflicting: number;
	
	    static createFrom(source: any = {}) {
	        return new ApplyInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.token = source["token"];
	        this.administrationId = source["administrationId"];
	        this.newAdministration = this.convertValues(source["newAdministration"], AdministrationInput);
	        this.email = source["email"];
	        this.startDate = source["startDate"];
	        this.processSales = source["processSales"];
	        this.confirmed = source["confirmed"];
	        this.revokeConflicting = source["revokeConflicting"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PhraseDTO {
	    key: string;
	    params?: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new PhraseDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.params = source["params"];
	    }
	}
	export class AuditEventDTO {
	    id: number;
	    at: string;
	    actor: string;
	    action: string;
	    subjectType: string;
	    subjectId: number;
	    organizationIds: number[];
	    detail: string;
	    phrases: PhraseDTO[];
	
	    static createFrom(source: any = {}) {
	        return new AuditEventDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = source["at"];
	        this.actor = source["actor"];
	        this.action = source["action"];
	        this.subjectType = source["subjectType"];
	        this.subjectId = source["subjectId"];
	        this.organizationIds = source["organizationIds"];
	        this.detail = source["detail"];
	        this.phrases = this.convertValues(source["phrases"], PhraseDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AuditQuery {
	    organizationId: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organizationId = source["organizationId"];
	        this.limit = source["limit"];
	    }
	}
	export class AuditVerifyDTO {
	    ok: boolean;
	    events: number;
	    brokenAt?: number;
	    problem?: string;
	    problemPhrase?: PhraseDTO;
	
	    static createFrom(source: any = {}) {
	        return new AuditVerifyDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.events = source["events"];
	        this.brokenAt = source["brokenAt"];
	        this.problem = source["problem"];
	        this.problemPhrase = this.convertValues(source["problemPhrase"], PhraseDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ErrorDTO {
	    code: string;
	    message: string;
	    key?: string;
	    params?: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new ErrorDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.message = source["message"];
	        this.key = source["key"];
	        this.params = source["params"];
	    }
	}
	export class CSVRowDTO {
	    line: number;
	    name: string;
	    code?: string;
	    email?: string;
	    organization?: string;
	    problem?: ErrorDTO;
	    exists?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CSVRowDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.name = source["name"];
	        this.code = source["code"];
	        this.email = source["email"];
	        this.organization = source["organization"];
	        this.problem = this.convertValues(source["problem"], ErrorDTO);
	        this.exists = source["exists"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CSVPreviewDTO {
	    softwareId: number;
	    rows: CSVRowDTO[];
	    valid: number;
	
	    static createFrom(source: any = {}) {
	        return new CSVPreviewDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.softwareId = source["softwareId"];
	        this.rows = this.convertValues(source["rows"], CSVRowDTO);
	        this.valid = source["valid"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CSVImportDTO {
	    preview: CSVPreviewDTO;
	    added: AdministrationDTO[];
	
	    static createFrom(source: any = {}) {
	        return new CSVImportDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.preview = this.convertValues(source["preview"], CSVPreviewDTO);
	        this.added = this.convertValues(source["added"], AdministrationDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class SoftwareDTO {
	    id: number;
	    slug: string;
	    name: string;
	    direction: string;
	    receivesSales: boolean;
	    quickConnect: boolean;
	    kind: string;
	    builtIn: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SoftwareDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.slug = source["slug"];
	        this.name = source["name"];
	        this.direction = source["direction"];
	        this.receivesSales = source["receivesSales"];
	        this.quickConnect = source["quickConnect"];
	        this.kind = source["kind"];
	        this.builtIn = source["builtIn"];
	    }
	}
	export class ConnectionDTO {
	    id: number;
	    appKey: string;
	    software: SoftwareDTO;
	    organizationIds: number[];
	    status: string;
	    createdAt: string;
	    revokedAt?: string;
	    revokedReason?: string;
	    replacedById?: number;
	    lastUsedAt?: string;
	    revokedKeyAttempts: number;
	    lastRevokedKeyAttemptAt?: string;
	
	    static createFrom(source: any = {}) {
	        return new ConnectionDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.appKey = source["appKey"];
	        this.software = this.convertValues(source["software"], SoftwareDTO);
	        this.organizationIds = source["organizationIds"];
	        this.status = source["status"];
	        this.createdAt = source["createdAt"];
	        this.revokedAt = source["revokedAt"];
	        this.revokedReason = source["revokedReason"];
	        this.replacedById = source["replacedById"];
	        this.lastUsedAt = source["lastUsedAt"];
	        this.revokedKeyAttempts = source["revokedKeyAttempts"];
	        this.lastRevokedKeyAttemptAt = source["lastRevokedKeyAttemptAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConnectionQuery {
	    organizationId: number;
	    status: string;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new ConnectionQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organizationId = source["organizationId"];
	        this.status = source["status"];
	        this.limit = source["limit"];
	    }
	}
	export class ConnectionRowDTO {
	    id: number;
	    appKey: string;
	    softwareId: number;
	    organizationIds: number[];
	    status: string;
	    createdAt: number;
	    revokedAt?: number;
	    revokedReason?: string;
	    replacedById?: number;
	    lastUsedAt?: number;
	    revokedKeyAttempts?: number;
	    lastRevokedKeyAttemptAt?: number;
	
	    static createFrom(source: any = {}) {
	        return new ConnectionRowDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.appKey = source["appKey"];
	        this.softwareId = source["softwareId"];
	        this.organizationIds = source["organizationIds"];
	        this.status = source["status"];
	        this.createdAt = source["createdAt"];
	        this.revokedAt = source["revokedAt"];
	        this.revokedReason = source["revokedReason"];
	        this.replacedById = source["replacedById"];
	        this.lastUsedAt = source["lastUsedAt"];
	        this.revokedKeyAttempts = source["revokedKeyAttempts"];
	        this.lastRevokedKeyAttemptAt = source["lastRevokedKeyAttemptAt"];
	    }
	}
	export class CopyDTO {
	    clearAfterSeconds: number;
	
	    static createFrom(source: any = {}) {
	        return new CopyDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clearAfterSeconds = source["clearAfterSeconds"];
	    }
	}
	export class CreateInput {
	    organizationId: number;
	    softwareId: number;
	    grantIds: number[];
	    language: string;
	
	    static createFrom(source: any = {}) {
	        return new CreateInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organizationId = source["organizationId"];
	        this.softwareId = source["softwareId"];
	        this.grantIds = source["grantIds"];
	        this.language = source["language"];
	    }
	}
	export class DocumentDTO {
	    id: number;
	    organizationId: number;
	    direction: string;
	    type: string;
	    number: string;
	    issueDate: string;
	    supplierParty?: string;
	    supplierName?: string;
	    customerParty?: string;
	    customerName?: string;
	    currency?: string;
	    payableAmount?: string;
	    status: string;
	    fileName?: string;
	    size: number;
	    receivedAt: string;
	    markedOriginal?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DocumentDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.organizationId = source["organizationId"];
	        this.direction = source["direction"];
	        this.type = source["type"];
	        this.number = source["number"];
	        this.issueDate = source["issueDate"];
	        this.supplierParty = source["supplierParty"];
	        this.supplierName = source["supplierName"];
	        this.customerParty = source["customerParty"];
	        this.customerName = source["customerName"];
	        this.currency = source["currency"];
	        this.payableAmount = source["payableAmount"];
	        this.status = source["status"];
	        this.fileName = source["fileName"];
	        this.size = source["size"];
	        this.receivedAt = source["receivedAt"];
	        this.markedOriginal = source["markedOriginal"];
	    }
	}
	export class OfferDTO {
	    id: number;
	    documentId: number;
	    connectionId: number;
	    state?: string;
	    copy?: boolean;
	    offeredAt?: string;
	    retrievedAt?: string;
	    withdrawnAt?: string;
	    note?: string;
	    notePhrases?: PhraseDTO[];
	    reofferedFrom?: number;
	    appKey?: string;
	    softwareName?: string;
	
	    static createFrom(source: any = {}) {
	        return new OfferDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.documentId = source["documentId"];
	        this.connectionId = source["connectionId"];
	        this.state = source["state"];
	        this.copy = source["copy"];
	        this.offeredAt = source["offeredAt"];
	        this.retrievedAt = source["retrievedAt"];
	        this.withdrawnAt = source["withdrawnAt"];
	        this.note = source["note"];
	        this.notePhrases = this.convertValues(source["notePhrases"], PhraseDTO);
	        this.reofferedFrom = source["reofferedFrom"];
	        this.appKey = source["appKey"];
	        this.softwareName = source["softwareName"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class StatusEventDTO {
	    at: string;
	    status: string;
	    note?: string;
	    notePhrases?: PhraseDTO[];
	
	    static createFrom(source: any = {}) {
	        return new StatusEventDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = source["at"];
	        this.status = source["status"];
	        this.note = source["note"];
	        this.notePhrases = this.convertValues(source["notePhrases"], PhraseDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DocumentDetailDTO {
	    document: DocumentDTO;
	    history: StatusEventDTO[];
	    offers: OfferDTO[];
	
	    static createFrom(source: any = {}) {
	        return new DocumentDetailDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.document = this.convertValues(source["document"], DocumentDTO);
	        this.history = this.convertValues(source["history"], StatusEventDTO);
	        this.offers = this.convertValues(source["offers"], OfferDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DocumentPageDTO {
	    documents: DocumentDTO[];
	    next: number;
	
	    static createFrom(source: any = {}) {
	        return new DocumentPageDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.documents = this.convertValues(source["documents"], DocumentDTO);
	        this.next = source["next"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DocumentQuery {
	    organizationId: number;
	    direction: string;
	    status: string;
	    connectionId: number;
	    search: string;
	    limit: number;
	    after: number;
	
	    static createFrom(source: any = {}) {
	        return new DocumentQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organizationId = source["organizationId"];
	        this.direction = source["direction"];
	        this.status = source["status"];
	        this.connectionId = source["connectionId"];
	        this.search = source["search"];
	        this.limit = source["limit"];
	        this.after = source["after"];
	    }
	}
	
	export class ImportInput {
	    organizationId: number;
	    paths: string[];
	
	    static createFrom(source: any = {}) {
	        return new ImportInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organizationId = source["organizationId"];
	        this.paths = source["paths"];
	    }
	}
	export class ImportResultDTO {
	    path: string;
	    name: string;
	    document?: DocumentDTO;
	    error?: ErrorDTO;
	
	    static createFrom(source: any = {}) {
	        return new ImportResultDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.name = source["name"];
	        this.document = this.convertValues(source["document"], DocumentDTO);
	        this.error = this.convertValues(source["error"], ErrorDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OrganizationDTO {
	    id: number;
	    name: string;
	    partyId: string;
	    kvk?: string;
	    vat?: string;
	    email?: string;
	    createdAt: string;
	    endedAt?: string;
	
	    static createFrom(source: any = {}) {
	        return new OrganizationDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.partyId = source["partyId"];
	        this.kvk = source["kvk"];
	        this.vat = source["vat"];
	        this.email = source["email"];
	        this.createdAt = source["createdAt"];
	        this.endedAt = source["endedAt"];
	    }
	}
	export class IssuedKeysDTO {
	    connection: ConnectionDTO;
	    secret: string;
	    quickConnectText: string;
	    organizations: OrganizationDTO[];
	    replacesId?: number;
	
	    static createFrom(source: any = {}) {
	        return new IssuedKeysDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connection = this.convertValues(source["connection"], ConnectionDTO);
	        this.secret = source["secret"];
	        this.quickConnectText = source["quickConnectText"];
	        this.organizations = this.convertValues(source["organizations"], OrganizationDTO);
	        this.replacesId = source["replacesId"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class KeychainDTO {
	    backend: string;
	    unlocked: boolean;
	
	    static createFrom(source: any = {}) {
	        return new KeychainDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.backend = source["backend"];
	        this.unlocked = source["unlocked"];
	    }
	}
	
	export class LinkQuery {
	    connectionId: number;
	    organizationId: number;
	
	    static createFrom(source: any = {}) {
	        return new LinkQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectionId = source["connectionId"];
	        this.organizationId = source["organizationId"];
	    }
	}
	export class TestPartyDTO {
	    partyId: string;
	    name: string;
	    canSend: boolean;
	    canReceive: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TestPartyDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.partyId = source["partyId"];
	        this.name = source["name"];
	        this.canSend = source["canSend"];
	        this.canReceive = source["canReceive"];
	    }
	}
	export class LinkTestDTO {
	    ok: boolean;
	    parties: TestPartyDTO[];
	    problem?: ErrorDTO;
	    link: LinkDTO;
	
	    static createFrom(source: any = {}) {
	        return new LinkTestDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.parties = this.convertValues(source["parties"], TestPartyDTO);
	        this.problem = this.convertValues(source["problem"], ErrorDTO);
	        this.link = this.convertValues(source["link"], LinkDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class OpenedWindowDTO {
	    width: number;
	    height: number;
	    languages: string[];
	
	    static createFrom(source: any = {}) {
	        return new OpenedWindowDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.width = source["width"];
	        this.height = source["height"];
	        this.languages = source["languages"];
	    }
	}
	
	export class OrganizationInput {
	    name: string;
	    partyId: string;
	    kvk: string;
	    vat: string;
	    email: string;
	
	    static createFrom(source: any = {}) {
	        return new OrganizationInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.partyId = source["partyId"];
	        this.kvk = source["kvk"];
	        this.vat = source["vat"];
	        this.email = source["email"];
	    }
	}
	export class OrganizationQuery {
	    search: string;
	    includeEnded: boolean;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new OrganizationQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.search = source["search"];
	        this.includeEnded = source["includeEnded"];
	        this.limit = source["limit"];
	    }
	}
	export class WindowDTO {
	    total: number;
	    matched: number;
	    offset: number;
	    rows: ConnectionRowDTO[];
	    softwareIds: number[];
	
	    static createFrom(source: any = {}) {
	        return new WindowDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.matched = source["matched"];
	        this.offset = source["offset"];
	        this.rows = this.convertValues(source["rows"], ConnectionRowDTO);
	        this.softwareIds = source["softwareIds"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OverviewDTO {
	    organizations: OrganizationDTO[];
	    software: SoftwareDTO[];
	    connections: WindowDTO;
	
	    static createFrom(source: any = {}) {
	        return new OverviewDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organizations = this.convertValues(source["organizations"], OrganizationDTO);
	        this.software = this.convertValues(source["software"], SoftwareDTO);
	        this.connections = this.convertValues(source["connections"], WindowDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PartnershipEndedDTO {
	    organization: OrganizationDTO;
	    revoked: number[];
	    withdrawn: number[];
	
	    static createFrom(source: any = {}) {
	        return new PartnershipEndedDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organization = this.convertValues(source["organization"], OrganizationDTO);
	        this.revoked = source["revoked"];
	        this.withdrawn = source["withdrawn"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PartnershipImpactDTO {
	    organizationId: number;
	    ended: boolean;
	    revoke: number;
	    withdraw: number;
	
	    static createFrom(source: any = {}) {
	        return new PartnershipImpactDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organizationId = source["organizationId"];
	        this.ended = source["ended"];
	        this.revoke = source["revoke"];
	        this.withdraw = source["withdraw"];
	    }
	}
	
	export class QuickConnectContextDTO {
	    connection: ConnectionDTO;
	    organizations: OrganizationDTO[];
	    administrations: AdministrationDTO[];
	    links: LinkDTO[];
	
	    static createFrom(source: any = {}) {
	        return new QuickConnectContextDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connection = this.convertValues(source["connection"], ConnectionDTO);
	        this.organizations = this.convertValues(source["organizations"], OrganizationDTO);
	        this.administrations = this.convertValues(source["administrations"], AdministrationDTO);
	        this.links = this.convertValues(source["links"], LinkDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RecognisedDTO {
	    token: string;
	    appKey: string;
	    secretMasked: string;
	    email?: string;
	    connection: ConnectionDTO;
	    organizations: OrganizationDTO[];
	    administrations: AdministrationDTO[];
	
	    static createFrom(source: any = {}) {
	        return new RecognisedDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.token = source["token"];
	        this.appKey = source["appKey"];
	        this.secretMasked = source["secretMasked"];
	        this.email = source["email"];
	        this.connection = this.convertValues(source["connection"], ConnectionDTO);
	        this.organizations = this.convertValues(source["organizations"], OrganizationDTO);
	        this.administrations = this.convertValues(source["administrations"], AdministrationDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ReofferCandidateDTO {
	    offer: OfferDTO;
	    document: DocumentDTO;
	
	    static createFrom(source: any = {}) {
	        return new ReofferCandidateDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.offer = this.convertValues(source["offer"], OfferDTO);
	        this.document = this.convertValues(source["document"], DocumentDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ReofferResultDTO {
	    documentId: number;
	    offeredTo: number[];
	    alreadyOffered: number[];
	    withdrawn: number[];
	    error?: ErrorDTO;
	
	    static createFrom(source: any = {}) {
	        return new ReofferResultDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.documentId = source["documentId"];
	        this.offeredTo = source["offeredTo"];
	        this.alreadyOffered = source["alreadyOffered"];
	        this.withdrawn = source["withdrawn"];
	        this.error = this.convertValues(source["error"], ErrorDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ReplaceInput {
	    connectionId: number;
	    reason: string;
	    language: string;
	
	    static createFrom(source: any = {}) {
	        return new ReplaceInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectionId = source["connectionId"];
	        this.reason = source["reason"];
	        this.language = source["language"];
	    }
	}
	export class SettingsDTO {
	    accountEmail: string;
	    language: string;
	    clipboardClearSeconds: number;
	    apiAddr: string;
	    keychain: KeychainDTO;
	    dataFolder: string;
	
	    static createFrom(source: any = {}) {
	        return new SettingsDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.accountEmail = source["accountEmail"];
	        this.language = source["language"];
	        this.clipboardClearSeconds = source["clipboardClearSeconds"];
	        this.apiAddr = source["apiAddr"];
	        this.keychain = this.convertValues(source["keychain"], KeychainDTO);
	        this.dataFolder = source["dataFolder"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class StatusDTO {
	    ready: boolean;
	    error?: ErrorDTO;
	    language?: string;
	    changes: number;
	
	    static createFrom(source: any = {}) {
	        return new StatusDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ready = source["ready"];
	        this.error = this.convertValues(source["error"], ErrorDTO);
	        this.language = source["language"];
	        this.changes = source["changes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class WindowQuery {
	    organizationId: number;
	    status: string;
	    softwareId: number;
	    search: string;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new WindowQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organizationId = source["organizationId"];
	        this.status = source["status"];
	        this.softwareId = source["softwareId"];
	        this.search = source["search"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}

}

