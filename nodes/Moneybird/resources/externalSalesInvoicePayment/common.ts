export const show = (operation: string[]) => ({ show: { resource: ['externalSalesInvoicePayment'], operation } });
