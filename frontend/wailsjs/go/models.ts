export namespace app {
	
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
	export class ErrorDTO {
	    code: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new ErrorDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.message = source["message"];
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
	
	export class StatusDTO {
	    ready: boolean;
	    error?: ErrorDTO;
	
	    static createFrom(source: any = {}) {
	        return new StatusDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ready = source["ready"];
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

}

