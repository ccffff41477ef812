// Placeholder: replaced by the sandbox implementation.
console.log('sandbox not implemented yet');
